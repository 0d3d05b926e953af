import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, signInAndWait } from "./helpers";

/** A minimal RFC 4180 reader: enough to prove the export parses (quoted cells, "" escapes, CRLF rows). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(cell);
      cell = "";
    } else if (!quoted && c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

/** Every event id the admin API lists for these filters, following the cursor. */
async function listedIds(page: Page, query: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor = "";
  do {
    const res = await page.request.get(`/api/admin/v1/orgs/acme/audit?${query}&limit=200${cursor}`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...body.items.map((e) => e.id));
    cursor = body.nextCursor ? `&cursor=${body.nextCursor}` : "";
  } while (cursor);
  return ids;
}

async function download(page: Page, name: string): Promise<{ filename: string; text: string }> {
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name }).click();
  const file = await downloading;
  return { filename: file.suggestedFilename(), text: readFileSync((await file.path())!, "utf8") };
}

test.describe("the audit trail", () => {
  test.beforeEach(async ({ page }) => signInAndWait(page, ACCOUNTS.admin));

  test("filters by action, and an event opens to its detail with a before/after diff", async ({ page }) => {
    await page.goto("/audit");
    await page.getByLabel("Action").fill("statement.*");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/action=statement\.\*/);
    const rows = page.locator("tbody tr");
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) await expect(row.locator("td").nth(2)).toHaveText(/^statement\./);

    await page.getByLabel("Action").fill("statement.revoked");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/action=statement\.revoked/);
    await page.getByRole("link", { name: "statement.revoked", exact: true }).first().click();
    await expect(page.getByRole("heading", { name: "statement.revoked", level: 1 })).toBeVisible();
    await expect(page.getByText("Previous hash")).toBeVisible();
    const changes = page.getByRole("table", { name: "Changes" });
    const status = changes.getByRole("row").filter({ hasText: /^~?\s*Changed\s*status/ });
    await expect(status).toContainText("active");
    await expect(status).toContainText("revoked");
    await expect(changes.getByRole("row").filter({ hasText: "revokedReason" })).toContainText("Added");

    // The object links back to the statement, whose History card lists this very event.
    await page
      .getByRole("link", { name: /^statement / })
      .first()
      .click();
    await expect(page).toHaveURL(/\/statements\/[^/]+$/);
    const history = page.getByRole("region", { name: "History" });
    await expect(history.getByRole("cell", { name: "statement.revoked", exact: true }).first()).toBeVisible();
  });

  test("exports the filtered events as CSV and NDJSON, and verifies the chain", async ({ page }) => {
    // Events up to now only: other specs may add events while this one runs.
    const until = new Date().toISOString();
    const query = `action=${encodeURIComponent("statement.*")}&until=${encodeURIComponent(until)}`;
    const expected = await listedIds(page, query);
    expect(expected.length).toBeGreaterThan(0);
    await page.goto(`/audit?${query}`);

    const csv = await download(page, "Export CSV");
    expect(csv.filename).toMatch(/^audit-acme-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...records] = parseCsv(csv.text);
    expect(header!.slice(0, 4)).toEqual(["id", "createdAt", "seq", "action"]);
    expect(records.map((r) => r[0])).toEqual(expected);
    for (const r of records) expect(r[3]).toMatch(/^statement\./);

    const ndjson = await download(page, "Export NDJSON");
    expect(ndjson.filename).toMatch(/^audit-acme-\d{4}-\d{2}-\d{2}\.ndjson$/);
    const events = ndjson.text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(events.map((e) => e.id)).toEqual(expected);
    expect(events.every((e) => e.action.startsWith("statement.") && e.hash.length === 64)).toBe(true);

    await page.getByRole("button", { name: "Verify integrity" }).click();
    await expect(page.getByRole("status").filter({ hasText: "verified" })).toHaveText(
      /[\d,]+ events verified, chain intact/,
    );
  });
});

test("a viewer reads, exports and verifies, and another organization's event is not found", async ({
  page,
  browser,
}) => {
  const globex = await browser.newPage();
  await signInAndWait(globex, ACCOUNTS.globexAdmin);
  const listed = await (await globex.request.get("/api/admin/v1/orgs/globex/audit?limit=1")).json();
  const theirs = listed.items[0].id as string;
  await globex.close();

  await signInAndWait(page, ACCOUNTS.viewer);
  await page.goto("/audit");
  await page.getByRole("button", { name: "Verify integrity" }).click();
  await expect(page.getByText(/events verified, chain intact/)).toBeVisible();
  const verify = await page.request.get("/api/admin/v1/orgs/acme/audit/verify");
  expect(await verify.json()).toMatchObject({ ok: true });
  const csv = await page.request.get("/api/admin/v1/orgs/acme/audit/export?format=csv&action=statement.*");
  expect(csv.headers()["content-disposition"]).toMatch(/^attachment; filename="audit-acme-.*\.csv"$/);

  expect((await page.request.get(`/api/admin/v1/orgs/acme/audit/${theirs}`)).status()).toBe(404);
  expect((await page.request.get("/api/admin/v1/orgs/globex/audit")).status()).toBe(404);
  expect((await page.request.get("/api/admin/v1/orgs/acme/audit/export?format=xml")).status()).toBe(400);
  await page.goto(`/audit/${theirs}`);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

test("tampering with a stored event is named by Verify integrity", async ({ page }) => {
  await signInAndWait(page, ACCOUNTS.admin);
  await page.goto("/audit");
  const verify = page.getByRole("button", { name: "Verify integrity" });
  const status = page.getByRole("status").filter({ hasText: /verified/ });
  await verify.click();
  await expect(status).toHaveText(/[\d,]+ events verified, chain intact/);

  // The e2e server's own database file, opened directly as someone with database access would.
  const raw = new Database(path.join(process.env.E2E_DATA_DIR!, "app.db"));
  raw.pragma("busy_timeout = 5000");
  try {
    const { id: orgId } = raw.prepare(`SELECT id FROM Organization WHERE slug = 'acme'`).get() as {
      id: string;
    };
    const chain = `org:${orgId}`;
    const { last } = raw.prepare(`SELECT MAX(seq) AS last FROM AuditEvent WHERE chain = ?`).get(chain) as {
      last: number;
    };
    const victim = raw
      .prepare(
        `SELECT id, seq, after FROM AuditEvent WHERE chain = ? AND seq >= ? AND after IS NOT NULL ORDER BY seq LIMIT 1`,
      )
      .get(chain, Math.max(2, Math.floor(last / 2))) as { id: string; seq: number; after: string };
    expect(victim).toBeDefined();

    raw.exec(`DROP TRIGGER "AuditEvent_no_update";`);
    try {
      raw.prepare(`UPDATE AuditEvent SET after = ? WHERE id = ?`).run('{"tampered":true}', victim.id);
      await verify.click();
      const broken = page.getByRole("status").filter({ hasText: "Chain broken" });
      await expect(broken).toContainText(
        `Chain broken at event #${victim.seq} of this organization's trail (${victim.id})`,
      );
      await expect(broken).toContainText("its contents no longer match its hash");
      await expect(broken.getByRole("link", { name: victim.id })).toHaveAttribute(
        "href",
        `/audit/${victim.id}`,
      );
    } finally {
      // Put the event and the database's guard back exactly as they were, so later tests see an intact chain.
      raw.prepare(`UPDATE AuditEvent SET after = ? WHERE id = ?`).run(victim.after, victim.id);
      raw.exec(
        `CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent" BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;`,
      );
    }
    expect(() => raw.prepare(`UPDATE AuditEvent SET after = after WHERE id = ?`).run(victim.id)).toThrow(
      /append-only/,
    );
  } finally {
    raw.close();
  }

  await verify.click();
  await expect(status).toHaveText(/[\d,]+ events verified, chain intact/);
});
