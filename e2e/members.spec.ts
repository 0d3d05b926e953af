import { expect, test } from "@playwright/test";
import { ACCOUNTS, signIn, signInAndWait } from "./helpers";

test("an admin adds a member, changes their role and disables them; the last admin stays", async ({
  page,
  browser,
}) => {
  const email = `mia-${Date.now()}@acme.test`;
  await signInAndWait(page, ACCOUNTS.admin);
  await page.goto("/settings/members");
  await page.getByLabel("Name").fill("Mia Member");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await page.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByText(`${email} can now sign in with this temporary password.`)).toBeVisible();
  const password = (await page.getByTestId("secret-once").textContent())!.trim();
  expect(password.length).toBeGreaterThanOrEqual(20);

  // The new member signs in elsewhere with the temporary password.
  const other = await browser.newContext();
  const memberPage = await other.newPage();
  await memberPage.goto("/login");
  await signIn(memberPage, email, password);
  await expect(memberPage.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(memberPage.getByText("Viewer (read-only)")).toBeVisible();

  // The admin promotes them, then disables them: their session stops on the next request.
  const row = page.getByTestId(`member-${email}`);
  await row.getByLabel(`Role of ${email}`).selectOption("ADMIN");
  await row.getByRole("button", { name: "Change role" }).click();
  await expect(row.getByText("Role changed to Admin.")).toBeVisible();
  await row.getByRole("button", { name: `Disable ${email}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Disable member" }).click();
  await expect(row.getByText("disabled", { exact: true })).toBeVisible();
  await memberPage.reload();
  await expect(memberPage).toHaveURL(/\/login/);
  await other.close();

  // The organization's last admin cannot be demoted.
  const self = page.getByTestId(`member-${ACCOUNTS.admin}`);
  await self.getByLabel(`Role of ${ACCOUNTS.admin}`).selectOption("VIEWER");
  await self.getByRole("button", { name: "Change role" }).click();
  await expect(self.getByRole("alert")).toContainText("last admin");

  await page.goto("/audit");
  await expect(page.getByRole("cell", { name: "member.disabled" }).first()).toBeVisible();
});

test("a representative creates an organization with its first admin, recorded on its behalf", async ({
  page,
}) => {
  const slug = `initech-${Date.now().toString(36)}`;
  await signInAndWait(page, ACCOUNTS.rep);
  await page.getByRole("link", { name: "New organization" }).click();
  await page.getByLabel("Organization name").fill("Initech");
  await page.getByLabel("Slug (requestor id)").fill(slug);
  await page.getByLabel("First admin's name").fill("Bill Lumbergh");
  await page.getByLabel("First admin's email").fill(`bill@${slug}.test`);
  await page.getByRole("button", { name: "Create organization" }).click();
  await expect(page.getByText(`Initech (${slug}) was created`)).toBeVisible();
  await expect(page.getByTestId("secret-once")).toBeVisible();

  await page.goto("/");
  await page
    .getByRole("listitem")
    .filter({ hasText: slug })
    .getByRole("button", { name: "Act for Initech" })
    .click();
  await expect(page.getByRole("status").filter({ hasText: "Acting for Initech" })).toBeVisible();
  await page.goto("/audit");
  await expect(page.getByRole("row").filter({ hasText: "org.created" }).first()).toContainText("on behalf");
  await expect(page.getByRole("row").filter({ hasText: "member.added" }).first()).toContainText("on behalf");
});

test("an admin creates an API token, shown once, that works without cookies until revoked", async ({
  page,
  playwright,
  baseURL,
}) => {
  await signInAndWait(page, ACCOUNTS.admin);
  await page.goto("/settings/tokens");
  const name = `ci-${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Read-write").check();
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText(`Token ${name} created.`)).toBeVisible();
  const token = (await page.getByTestId("secret-once").textContent())!.trim();
  expect(token).toMatch(/^sc_pat_/);

  const api = await playwright.request.newContext({ baseURL });
  const headers = { authorization: `Bearer ${token}` };
  expect((await api.get("/api/admin/v1/orgs/acme/applications", { headers })).status()).toBe(200);
  expect((await api.get("/api/admin/v1/orgs/globex/applications", { headers })).status()).toBe(404);

  await page.reload();
  const row = page.getByTestId(`token-${name}`);
  await expect(row).toContainText("last used");
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(row).toContainText("revoked");
  expect((await api.get("/api/admin/v1/orgs/acme/applications", { headers })).status()).toBe(401);
  await api.dispose();
});

test("a member changes their temporary password: every other session of theirs ends at once", async ({
  page,
  browser,
}) => {
  // In Globex: Acme's member count is what other tests look at.
  const email = `pat-${Date.now()}@globex.test`;
  await signInAndWait(page, ACCOUNTS.globexAdmin);
  const added = await page.request.post("/api/admin/v1/orgs/globex/members", {
    data: { email, name: "Pat Password", role: "VIEWER" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(added.status(), await added.text()).toBe(201);
  const { temporaryPassword } = (await added.json()) as { temporaryPassword: string };

  // Signed in twice (a laptop and a TV room): one of them changes the password.
  const [laptop, tv] = [await browser.newContext(), await browser.newContext()];
  const [mine, elsewhere] = [await laptop.newPage(), await tv.newPage()];
  for (const p of [mine, elsewhere]) {
    await signIn(p, email, temporaryPassword);
    await expect(p.getByRole("navigation", { name: "Main" })).toBeVisible();
  }
  await mine.getByRole("button", { name: /Account menu/ }).click();
  await mine.getByRole("menuitem", { name: "Change password" }).click();
  await expect(mine.getByRole("heading", { name: "Your account" })).toBeVisible();

  await mine.getByLabel("Current password").fill("not-my-password");
  await mine.getByLabel("New password", { exact: true }).fill("a-long-new-password-1");
  await mine.getByLabel("Repeat the new password").fill("a-long-new-password-1");
  await mine.getByRole("button", { name: "Change password" }).click();
  await expect(mine.getByText("That is not your current password.")).toBeVisible();

  await mine.getByLabel("Current password").fill(temporaryPassword);
  await mine.getByLabel("New password", { exact: true }).fill("a-long-new-password-1");
  await mine.getByLabel("Repeat the new password").fill("a-long-new-password-1");
  await mine.getByRole("button", { name: "Change password" }).click();
  await expect(mine).toHaveURL(/\/login/);
  await expect(
    mine.getByText("Your password was changed and every session of your account ended."),
  ).toBeVisible();

  await elsewhere.reload();
  await expect(elsewhere).toHaveURL(/\/login/);
  await signIn(elsewhere, email, temporaryPassword);
  await expect(elsewhere.getByText("do not match an active account")).toBeVisible();
  await signIn(elsewhere, email, "a-long-new-password-1");
  await expect(elsewhere.getByRole("navigation", { name: "Main" })).toBeVisible();
  await laptop.close();
  await tv.close();
});
