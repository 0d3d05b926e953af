import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, signInAndWait } from "./helpers";

/**
 * Runs on the demo seed: a few hundred registrations across acme's statements, with varied platforms and
 * device facts, some with tokens; Acme Play for Android TV's first statement is revoked, so its clients are cut off.
 */
type Registration = {
  clientId: string;
  applicationName: string;
  platform: string | null;
  deviceInfo: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
  tokenCount: number;
  status: "active" | "cut_off";
};
type Statement = { id: string; applicationName: string; status: string; registrationCount: number };

const API = "/api/admin/v1/orgs/acme";
// The page's list: the first table that is not an activity chart's numbers (a statement's page has one above).
const rowsOf = (page: Page) =>
  page.locator('main table:not([data-testid="activity-table"])').first().locator("tbody tr");
const clients = (n: number) => `${n.toLocaleString("en")} ${n === 1 ? "client" : "clients"}`;

async function getItems<T>(page: Page, path: string): Promise<T[]> {
  const res = await page.request.get(`${API}${path}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { items: T[] }).items;
}

/** A filter control by its label (a wrapping label's name also carries the chosen option, hence the prefix). */
const filter = (page: Page, label: string) => page.getByRole("search").getByLabel(new RegExp(`^${label}`));

/** Sets the list's filters (by value, or by option label) and applies them. */
async function apply(page: Page, filters: Record<string, string | { label: string }>) {
  for (const [label, option] of Object.entries(filters)) await filter(page, label).selectOption(option);
  await page.getByRole("button", { name: "Apply" }).click();
}

test.describe("as an organization admin", () => {
  test.beforeEach(async ({ page }) => signInAndWait(page, ACCOUNTS.admin));

  test("the Overview counts registrations and tokens", async ({ page }) => {
    await expect(page.getByTestId("stat-registrations")).not.toHaveText("0");
    for (const label of ["registrations-24-h", "registrations-7-days", "tokens-24-h", "tokens-7-days"])
      await expect(page.getByTestId(`stat-${label}`)).toHaveText(/^[\d,]+$/);
  });

  test("the list shows registrations newest first and pages through them", async ({ page }) => {
    await page.goto("/registrations");
    await expect(page.getByRole("heading", { name: "Registrations", level: 1 })).toBeVisible();
    const rows = rowsOf(page);
    await expect(rows).toHaveCount(25);
    const first = await rows.first().getByRole("link").first().textContent();

    await page.getByRole("link", { name: "Next page →" }).click();
    await expect(page).toHaveURL(/cursor=/);
    await expect(rows.first().getByRole("link").first()).not.toHaveText(first!);

    await page.getByRole("link", { name: "← First page" }).click();
    await expect(page).not.toHaveURL(/cursor=/);
    // Back on the first page (clients registering meanwhile may have pushed it down a row or two).
    await expect(rows.filter({ hasText: first! })).toHaveCount(1);
  });

  test("the list filters by platform, status, application and simulation", async ({ page }) => {
    await page.goto("/registrations");
    const rows = rowsOf(page);
    // Columns: client ID, application, platform, device model, status, tokens, last token, registered.
    await expect(rows.first()).toBeVisible();
    const platforms = await rows.locator("td:nth-child(3)").allTextContents();
    const platform = platforms.map((p) => p.trim()).find((p) => p !== "—") ?? "";
    expect(platform, "the first page has a registration with a platform").not.toBe("");
    await apply(page, { Platform: platform });
    await expect(page).toHaveURL(/platform=/);
    await expect(filter(page, "Platform")).toHaveValue(platform);
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) await expect(row.getByRole("cell").nth(2)).toHaveText(platform);

    await apply(page, { Platform: "", Status: "cut_off" });
    await expect(page).toHaveURL(/status=cut_off/);
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) {
      await expect(row).toContainText("Cut off");
      await expect(row).toContainText("Acme Play for Android TV");
    }

    await apply(page, { Status: "", Application: { label: "Acme TV for tvOS (1.0.0)" } });
    await expect(page).toHaveURL(/applicationId=/);
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all())
      await expect(row.getByRole("cell").nth(1)).toHaveText("Acme TV for tvOS");

    await apply(page, { Application: "", Simulated: "hide" });
    await expect(page).toHaveURL(/simulated=hide/);
    await expect(rows.first()).toBeVisible();
    await expect(page.locator("main tbody").getByText("Simulated", { exact: true })).toHaveCount(0);

    await page.goto("/registrations?platform=Vizio&status=cut_off&from=2001-01-01&to=2001-01-02");
    await expect(page.getByText("No registration matches these filters")).toBeVisible();
    await page.goto("/registrations?from=not-a-date");
    await expect(page.locator("main").getByRole("alert")).toHaveText(
      "Some filters were not valid and were ignored.",
    );
  });

  test("a registration's page shows its device facts, IP, user agent and tokens", async ({ page }) => {
    const items = await getItems<Registration>(page, "/registrations?limit=200");
    for (const item of items) {
      expect(item).not.toHaveProperty("secret");
      expect(item).not.toHaveProperty("secretHash");
    }
    const r = items.find((i) => i.tokenCount > 0 && i.deviceInfo && i.platform && i.ip && i.userAgent);
    expect(r, "the seed has a registration with tokens and device facts").toBeTruthy();
    const detail = await page.request.get(`${API}/registrations/${encodeURIComponent(r!.clientId)}`);
    expect(detail.status()).toBe(200);
    expect(JSON.stringify(await detail.json())).not.toMatch(/secret/i);

    await page.goto(`/registrations/${encodeURIComponent(r!.clientId)}`);
    await expect(page.getByRole("heading", { name: `Client ${r!.clientId}` })).toBeVisible();
    const facts = page.getByLabel("Device facts");
    for (const key of Object.keys(r!.deviceInfo!)) await expect(facts).toContainText(`"${key}"`);
    await expect(page.getByText(r!.ip!, { exact: true })).toBeVisible();
    await expect(page.getByText(r!.userAgent!, { exact: true })).toBeVisible();
    const tokens = page.locator("table").filter({ has: page.getByRole("columnheader", { name: "Expires" }) });
    await expect(tokens.locator("tbody tr")).toHaveCount(Math.min(r!.tokenCount, 50));
    for (const row of await tokens.locator("tbody tr").all())
      await expect(row.getByRole("cell").last()).toHaveText(
        r!.status === "cut_off" ? "Cut off" : /^(Active|Expired)$/,
      );

    await page.getByRole("link", { name: `Other registrations of this app on ${r!.platform}` }).click();
    await expect(page).toHaveURL(/applicationId=.*platform=/);
    for (const row of await rowsOf(page).all()) await expect(row).toContainText(r!.applicationName);
  });

  test("a statement's page shows its registrations, and View all leads to the filtered list", async ({
    page,
  }) => {
    const statements = await getItems<Statement>(page, "/statements?status=active&limit=200");
    const s = statements.find((i) => i.registrationCount > 0);
    expect(s, "the seed has an active statement with registrations").toBeTruthy();

    await page.goto(`/statements/${s!.id}`);
    await expect(
      page.getByText(`${clients(s!.registrationCount)} registered with this statement`),
    ).toBeVisible();
    await expect(rowsOf(page)).toHaveCount(Math.min(s!.registrationCount, 10));

    await page.getByRole("link", { name: "View all" }).click();
    await expect(page).toHaveURL(new RegExp(`/registrations\\?statementId=${s!.id}$`));
    await expect(filter(page, "Statement")).toHaveValue(s!.id);
    await expect(rowsOf(page)).toHaveCount(Math.min(s!.registrationCount, 25));
    for (const row of await rowsOf(page).all()) await expect(row).toContainText(s!.applicationName);
  });

  test("the revoked statement says how many clients it cut off", async ({ page }) => {
    const revoked = await getItems<Statement>(page, "/statements?status=revoked&limit=200");
    const s = revoked.find(
      (i) => i.applicationName === "Acme Play for Android TV" && i.registrationCount > 0,
    );
    expect(s, "the seed's revoked statement has registrations").toBeTruthy();

    await page.goto(`/statements/${s!.id}`);
    // The number in the notice is the statement's registration count, shown again on its Registrations card.
    const n = s!.registrationCount.toLocaleString("en");
    await expect(
      page.getByText(`It cut off ${n} registered ${s!.registrationCount === 1 ? "client" : "clients"}.`),
    ).toBeVisible();
    await expect(
      page.getByText(`${clients(s!.registrationCount)} registered with this statement`),
    ).toBeVisible();
    await expect(rowsOf(page).first()).toBeVisible();
    for (const row of await rowsOf(page).all()) await expect(row).toContainText("Cut off");

    const listed = await getItems<Registration>(page, `/statements/${s!.id}/registrations?limit=200`);
    expect(listed.length).toBe(Math.min(s!.registrationCount, 200));
    expect(listed.every((r) => r.status === "cut_off")).toBe(true);
  });

  test("another organization's statement is a 404 in the registrations API", async ({ page, browser }) => {
    const context = await browser.newContext();
    const globex = await context.newPage();
    await signInAndWait(globex, ACCOUNTS.globexAdmin);
    const res = await globex.request.get("/api/admin/v1/orgs/globex/statements");
    const [theirs] = ((await res.json()) as { items: Statement[] }).items;
    await context.close();
    expect(theirs).toBeTruthy();

    const other = await page.request.get(`${API}/statements/${theirs!.id}/registrations`);
    expect(other.status()).toBe(404);
    expect((await page.request.get(`${API}/registrations/no-such-client`)).status()).toBe(404);
    expect((await page.request.get("/api/admin/v1/orgs/globex/registrations")).status()).toBe(404);
  });
});

test("an application's page shows its registration count and links to them", async ({ page }) => {
  await signInAndWait(page, ACCOUNTS.viewer);
  await page.goto("/applications");
  await page.getByRole("link", { name: "Acme TV for tvOS" }).click();
  await expect(page).toHaveURL(/\/applications\/[^/]+$/);
  const appId = page.url().split("/applications/")[1]!;
  // Other specs (the simulator) may register clients of this application meanwhile: compare page and API
  // on the same reload until they agree.
  await expect(async () => {
    await page.reload();
    const shown = await page.getByRole("definition").filter({ hasText: "View registrations" }).textContent();
    const statements = await getItems<Statement>(page, `/statements?applicationId=${appId}&limit=200`);
    const total = statements.reduce((sum, s) => sum + s.registrationCount, 0);
    expect(total).toBeGreaterThan(0);
    expect(shown).toBe(`${total.toLocaleString("en")} View registrations`);
  }).toPass({ timeout: 15_000 });
  await page.getByRole("link", { name: "View registrations" }).click();
  await expect(page).toHaveURL(new RegExp(`/registrations\\?applicationId=${appId}$`));
  for (const row of await rowsOf(page).all()) await expect(row).toContainText("Acme TV for tvOS");
});
