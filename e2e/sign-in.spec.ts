import { expect, test } from "@playwright/test";
import { ACCOUNTS, PASSWORD, signIn, signInAndWait } from "./helpers";

test("a signed-out visit goes to sign-in, then back to the page asked for", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await expect(page.getByRole("heading", { name: "Sign in to Statement Console" })).toBeVisible();
  await signIn(page, ACCOUNTS.admin);
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
});

test("a wrong password shows a message that does not say whether the account exists", async ({ page }) => {
  await signIn(page, ACCOUNTS.globexAdmin, "definitely-wrong");
  await expect(page.getByText("That email and password do not match an active account.")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel("Email")).toHaveValue(ACCOUNTS.globexAdmin);

  await signIn(page, "nobody@acme.test", "definitely-wrong");
  await expect(page.getByText("That email and password do not match an active account.")).toBeVisible();
});

test("the admin lands on the Overview inside the dashboard shell", async ({ page }) => {
  await signInAndWait(page, ACCOUNTS.admin);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByTestId("org-name")).toHaveText("Acme Media");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const item of [
    "Overview",
    "Applications",
    "Statements",
    "Registrations",
    "Simulator",
    "Audit",
    "Settings",
  ]) {
    await expect(nav.getByRole("link", { name: new RegExp(`^${item}`) })).toBeVisible();
  }
  // The members stat is the organization's active members (other tests add and disable some meanwhile).
  const members = async () => {
    const res = await page.request.get("/api/admin/v1/orgs/acme/members");
    return ((await res.json()) as { items: { disabled: boolean }[] }).items.filter((m) => !m.disabled).length;
  };
  await expect(async () => {
    await page.reload();
    expect(await page.getByTestId("stat-members").textContent()).toBe(String(await members()));
  }).toPass({ timeout: 10_000 });
  // Latest activity: the newest audit events (which ones depends on what other tests just did).
  await expect(page.getByText(/^[a-z_]+\.[a-z_]+$/).first()).toBeVisible();
});

test("sign-out ends the session", async ({ page }) => {
  await signInAndWait(page, ACCOUNTS.globexAdmin);
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});

test("the demo password from the seed works for every account", async ({ browser }) => {
  for (const email of Object.values(ACCOUNTS)) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, email, PASSWORD);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    await context.close();
  }
});
