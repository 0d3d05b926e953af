import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, signInAndWait } from "./helpers";

/** Actions a role cannot take are not offered; what a role can do has a way in. */

/** The e2e server's database, read directly (as e2e/audit.spec.ts does). */
function query<T>(sql: string, ...params: unknown[]): T[] {
  const raw = new Database(path.join(process.env.E2E_DATA_DIR!, "app.db"), { readonly: true });
  raw.pragma("busy_timeout = 5000");
  try {
    return raw.prepare(sql).all(...params) as T[];
  } finally {
    raw.close();
  }
}

test("a viewer creates a read-only API token, and is offered nothing else", async ({ page }) => {
  await signInAndWait(page, ACCOUNTS.viewer);
  await page.goto("/settings/tokens");
  await expect(page.getByLabel("Read-only")).toBeChecked();
  await expect(page.getByLabel("Read-write")).toHaveCount(0);
  const name = `viewer-script-${Date.now()}`;
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByText(/^sc_pat_/).first()).toBeVisible();
  const row = page.getByTestId(`token-${name}`);
  await expect(row).toContainText("Read-only");
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toBeVisible();
});

test.describe("a representative", () => {
  // Their events are told apart from other tests' by this browser's user agent.
  const userAgent = `e2e-no-dead-ends-${Date.now()}`;
  test.use({ userAgent });
  const events = () =>
    query<{ action: string }>(
      `SELECT action FROM AuditEvent WHERE userAgent = ? AND action LIKE 'support.%' ORDER BY createdAt, seq`,
      userAgent,
    ).map((e) => e.action);

  async function actFor(page: Page, name: RegExp) {
    await page.getByRole("button", { name: "Act for an organization" }).click();
    await page.getByRole("menuitem", { name }).click();
    await expect(page.getByRole("status").filter({ hasText: "Acting for" })).toBeVisible();
  }

  test("entering an organization records one event, and stopping is recorded too", async ({ page }) => {
    await signInAndWait(page, ACCOUNTS.rep);
    await actFor(page, /Acme Media/);
    await page.goto("/statements");
    await page.goto("/audit");
    expect(events()).toEqual(["support.acting_started"]);
    await page.getByRole("button", { name: "Stop acting" }).click();
    await expect(page.getByRole("heading", { name: "Choose an organization" })).toBeVisible();
    expect(events()).toEqual(["support.acting_started", "support.acting_stopped"]);
  });

  test("opening another organization's page is offered a switch to it", async ({ page }) => {
    const [globex] = query<{ id: string }>(
      `SELECT s.id FROM SoftwareStatement s JOIN Organization o ON o.id = s.organizationId WHERE o.slug = 'globex' LIMIT 1`,
    );
    await signInAndWait(page, ACCOUNTS.rep);
    await actFor(page, /Acme Media/);
    await page.goto(`/statements/${globex!.id}`);
    await expect(page.getByRole("heading", { name: "This belongs to Globex Broadcasting" })).toBeVisible();
    await page.getByRole("button", { name: "Act for Globex Broadcasting" }).click();
    await expect(page).toHaveURL(new RegExp(`/statements/${globex!.id}$`));
    await expect(
      page.getByRole("status").filter({ hasText: "Acting for Globex Broadcasting" }),
    ).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Statement");
  });
});
