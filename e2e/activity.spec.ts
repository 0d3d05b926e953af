import { mkdirSync } from "node:fs";
import {
  expect,
  test,
  type APIRequestContext,
  type APIResponse,
  type Locator,
  type Page,
} from "@playwright/test";
import { ACCOUNTS, freshStatement, signInAndWait } from "./helpers";

/**
 * The activity charts with real traffic: a fresh statement registers clients and gets tokens through the real
 * client endpoints, is revoked, and is tried again; each chart page is opened in Chromium, its accessible table
 * read back, and a screenshot kept in test-results/screenshots/ for a person to look at. It all happens in globex:
 * the other specs read acme's demo registrations, and clients cut off here would show up among them.
 */

mkdirSync("test-results/screenshots", { recursive: true });

const deviceInfo = (model: string) =>
  Buffer.from(JSON.stringify({ model, osName: "tvOS", osVersion: "17.4" })).toString("base64");

/**
 * A client request, retried as a well-behaved client would when the throttle answers 429: every browser of this
 * suite shares one address and its bucket (the simulator's tests spend it on purpose). The 429s are counted as
 * throttled refusals, which no check below depends on.
 */
async function send(request: () => Promise<APIResponse>): Promise<APIResponse> {
  for (;;) {
    const res = await request();
    if (res.status() !== 429) return res;
    await new Promise((resolve) => setTimeout(resolve, Number(res.headers()["retry-after"] ?? 1) * 1000));
  }
}

async function register(request: APIRequestContext, softwareStatement: string, model: string) {
  const res = await send(() =>
    request.post("/o/client/register", {
      headers: { "content-type": "application/json", "x-device-info": deviceInfo(model) },
      data: { software_statement: softwareStatement },
    }),
  );
  return { status: res.status(), body: (await res.json()) as { client_id: string; client_secret: string } };
}

async function token(request: APIRequestContext, clientId: string, clientSecret: string) {
  const form = { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret };
  return (await send(() => request.post("/o/client/token", { form }))).status();
}

/** A cell of the chart's table, after opening "Show the numbers". */
async function openNumbers(page: Page, table: string): Promise<Locator> {
  await page.getByText("Show the numbers").first().click();
  const numbers = page.getByTestId(table);
  await expect(numbers).toBeVisible();
  return numbers;
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `test-results/screenshots/activity-${name}.png`, fullPage: true });

test("a statement's, its application's and the Overview's charts show the traffic in their tables", async ({
  page,
}) => {
  await signInAndWait(page, ACCOUNTS.globexAdmin);
  const statement = await freshStatement(page, `E2E Activity ${Date.now()}`, "globex");
  const origin = { Origin: new URL(page.url()).origin };

  // Three registrations from two devices (one registers twice), two tokens and one wrong secret.
  const first = await register(page.request, statement.softwareStatement, "Box A");
  expect(first.status).toBe(201);
  expect((await register(page.request, statement.softwareStatement, "Box A")).status).toBe(201);
  expect((await register(page.request, statement.softwareStatement, "Box B")).status).toBe(201);
  const { client_id: clientId, client_secret: secret } = first.body;
  expect(await token(page.request, clientId, secret)).toBe(201);
  expect(await token(page.request, clientId, secret)).toBe(201);
  expect(await token(page.request, clientId, "not-the-secret")).toBe(400);

  await page.goto(`/statements/${statement.id}?range=24h`);
  await expect(page.getByTestId("activity-summary")).toContainText("3 registrations, 2 tokens and");
  let numbers = await openNumbers(page, "activity-table");
  const total = (counter: string) => numbers.locator(`[data-total="${counter}"]`);
  await expect(total("registrations")).toHaveText("3");
  await expect(total("newDevices")).toHaveText("2");
  await expect(total("tokens")).toHaveText("2");
  await expect(total("badSecret")).toHaveText("1");
  await expect(total("revokedAtToken")).toHaveText("0");
  await expect(page.getByTestId("re-registration")).toContainText("33 % of 3 registrations");

  // Revoked: the devices that keep trying are refused, marked on the chart and counted on the page.
  const revoke = await page.request.post(`/api/admin/v1/orgs/globex/statements/${statement.id}/revoke`, {
    headers: origin,
    data: { reason: "E2E: the build leaked" },
  });
  expect(revoke.status()).toBe(200);
  expect(await token(page.request, clientId, secret)).toBe(400);
  expect((await register(page.request, statement.softwareStatement, "Box C")).status).toBe(400);

  await page.goto(`/statements/${statement.id}?range=24h`);
  await expect(page.getByTestId("refusals-after-revocation")).toContainText(
    "2 refused requests (registrations and token requests) since it was revoked, the last",
  );
  await expect(page.getByTestId("activity-summary")).toContainText("Revoked:");
  numbers = await openNumbers(page, "activity-table");
  await expect(total("revokedAtToken")).toHaveText("1");
  await expect(total("revokedAtRegister")).toHaveText("1");
  await expect(total("registrations")).toHaveText("3");
  await shot(page, "statement");

  // The application: one line for its one statement, registrations plus tokens.
  await page.goto(`/applications/${statement.applicationId}?range=24h`);
  numbers = await openNumbers(page, "lines-table");
  await expect(numbers.locator(`[data-total="${statement.id}"]`)).toHaveText("5");
  await shot(page, "application");

  // The Overview: the whole organization (other tests add to it), by day and by hour.
  for (const range of ["30d", "24h"]) {
    await page.goto(`/?range=${range}`);
    await expect(page.getByRole("link", { name: range === "24h" ? "24 hours" : "30 days" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    numbers = await openNumbers(page, "activity-table");
    const registrations = Number((await total("registrations").innerText()).replace(/,/g, ""));
    expect(registrations).toBeGreaterThanOrEqual(3);
    if (range === "24h") {
      // The table's last 24 hours are the same hours the "Registrations 24 h" figure counts.
      const figure = Number(
        (await page.getByTestId("stat-registrations-24-h").innerText()).replace(/,/g, ""),
      );
      expect(Math.abs(figure - registrations)).toBeLessThanOrEqual(2); // another test may register meanwhile
    }
    await shot(page, `overview-${range}`);
  }

  // The chart's data downloads as CSV.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download CSV" }).first().click();
  const csv = await download;
  expect(csv.suggestedFilename()).toMatch(/^activity-globex-24h.*\.csv$/);
});

test("support sees which organizations' devices are refused, and acts for one from there", async ({
  browser,
  page,
}) => {
  // An admin of globex revokes a fresh statement, and a device tries it twice.
  const admin = await browser.newPage();
  await signInAndWait(admin, ACCOUNTS.globexAdmin);
  const statement = await freshStatement(admin, `E2E Refused ${Date.now()}`, "globex");
  const revoke = await admin.request.post(`/api/admin/v1/orgs/globex/statements/${statement.id}/revoke`, {
    headers: { Origin: new URL(admin.url()).origin },
    data: { reason: "E2E: refused devices" },
  });
  expect(revoke.status()).toBe(200);
  for (const model of ["Box R", "Box R"])
    expect((await register(admin.request, statement.softwareStatement, model)).status).toBe(400);
  await admin.close();

  await signInAndWait(page, ACCOUNTS.rep);
  await page.getByRole("link", { name: "Refusals" }).click();
  await expect(page.getByRole("heading", { name: "Refusals", level: 1 })).toBeVisible();
  const globex = page.getByTestId("refusals-table").locator('tr[data-org="globex"]');
  const revokedAtRegister = await globex.locator('[data-counter="revokedAtRegister"]').innerText();
  expect(Number(revokedAtRegister.replace(/,/g, ""))).toBeGreaterThanOrEqual(2);
  await shot(page, "refusals");
  await globex.getByRole("button", { name: "Act for Globex Broadcasting" }).click();
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  await expect(page.getByTestId("activity-summary")).toBeVisible();
});
