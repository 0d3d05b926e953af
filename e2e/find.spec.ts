import { expect, test } from "@playwright/test";
import { ACCOUNTS, freshStatement, signInAndWait } from "./helpers";

/**
 * Support on the phone: the customer reads out the trace of a refused registration; the representative pastes
 * it into Find and lands on the refusal, with its statement, application and what happened to them. In globex:
 * other specs read acme's demo registrations, and this one cuts a client off.
 */
test("a representative pastes a refused registration's trace and lands on the refusal and its story", async ({
  page,
  browser,
  baseURL,
}) => {
  await signInAndWait(page, ACCOUNTS.globexAdmin);
  const name = `E2E Find ${Date.now()}`;
  const statement = await freshStatement(page, name, "globex");
  const register = () =>
    page.request.post("/o/client/register", {
      headers: { "content-type": "application/json" },
      data: { software_statement: statement.softwareStatement },
    });
  expect((await register()).status()).toBe(201);
  const revoked = await page.request.post(`/api/admin/v1/orgs/globex/statements/${statement.id}/revoke`, {
    headers: { origin: baseURL! },
    data: { reason: "Leaked in a public build (find e2e)" },
  });
  expect(revoked.status()).toBe(200);
  const refused = await register();
  expect(refused.status()).toBe(400);
  const trace = refused.headers()["x-request-id"]!;
  expect(trace).toBeTruthy();

  // A member of another organization finds nothing of it.
  const acme = await (await browser.newContext({ baseURL })).newPage();
  await signInAndWait(acme, ACCOUNTS.admin);
  await acme.getByRole("searchbox").fill(trace);
  await acme.getByRole("searchbox").press("Enter");
  await expect(acme.getByRole("region", { name: "Find results" })).toContainText("Nothing found");

  // The representative, acting for nobody yet: "/" focuses Find, Enter opens the one match.
  const rep = await (await browser.newContext({ baseURL })).newPage();
  await signInAndWait(rep, ACCOUNTS.rep);
  const actingStarted = async () => {
    const trail = await rep.request.get(
      "/api/admin/v1/orgs/globex/audit?action=support.acting_started&actor=rep@support.test&limit=200",
    );
    return ((await trail.json()) as { items: unknown[] }).items.length;
  };
  const before = await actingStarted();
  await rep.locator("body").press("/");
  await expect(rep.getByRole("searchbox")).toBeFocused();
  await rep.keyboard.type(trace);
  await rep.keyboard.press("Enter");
  await expect(rep).toHaveURL(/\/find\/refusal\//);
  const refusal = rep.getByTestId("refusal");
  await expect(refusal).toContainText("400 unapproved_software_statement at the registration");
  await expect(refusal).toContainText("The software statement has been revoked.");
  await expect(refusal).toContainText("revoked");
  await expect(refusal).toContainText(trace);
  // Opening globex's refusal made the representative act for globex, visibly and on its audit trail.
  await expect(rep.getByText(/acting for Globex/i).first()).toBeVisible();
  expect(await actingStarted()).toBeGreaterThan(before);
  await expect(rep.getByRole("link", { name })).toBeVisible();
  await expect(rep.getByText("Revoked").first()).toBeVisible();
  const story = rep.getByRole("list", { name: "Story" });
  await expect(story).toContainText("statement.revoked");
  await expect(story.locator('[aria-current="true"]')).toContainText("unapproved_software_statement");
  await rep.screenshot({ path: test.info().outputPath("find-refusal.png"), fullPage: true });

  // Pasting the statement itself (a JWT) opens the statement's story; the JWT never goes into a URL.
  await rep.getByRole("searchbox").fill(statement.softwareStatement);
  await rep.getByRole("searchbox").press("Enter");
  await expect(rep).toHaveURL(new RegExp(`/find/statement/${statement.id}$`));
  expect(rep.url()).not.toContain(statement.softwareStatement.split(".")[2]);
  await expect(rep.getByRole("list", { name: "Story" })).toContainText("Refused registration");

  // An altered JWT: checked on the server, said not to verify, opens nothing.
  const [h, p] = statement.softwareStatement.split(".");
  await rep.getByRole("searchbox").fill(`${h}.${p}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`);
  await rep.getByRole("searchbox").press("Enter");
  await expect(rep.getByTestId("jwt-verdict")).toContainText("It does not verify.");
  await rep.keyboard.press("Escape");
  await expect(rep.getByRole("region", { name: "Find results" })).toBeHidden();
});
