import { expect, test } from "@playwright/test";
import { ACCOUNTS, signInAndWait } from "./helpers";

/** Objects by the names people know them by; one way to show time, roles and addresses. */

const CUID = /\bc[a-z0-9]{24}\b/;
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

test.use({ timezoneId: "Europe/Paris" });

test("the Overview's activity shows what people did, by name, and sums up client registrations", async ({
  page,
}) => {
  await signInAndWait(page, ACCOUNTS.admin);
  const activity = page.locator("main table").last();
  // Other tests' objects may be the newest: any named object will do, but no bare id.
  await expect(
    activity.getByRole("link", { name: /^(application|statement [0-9a-f]{8}… ·) \S/ }).first(),
  ).toBeVisible();
  await expect(activity).not.toContainText("client.registered");
  expect(await activity.innerText()).not.toMatch(CUID);
  await expect(page.getByText(/client registrations? in the last 24 hours/)).toBeVisible();
});

test("audit rows and event pages name objects, write roles as words and time one way", async ({ page }) => {
  await signInAndWait(page, ACCOUNTS.admin);
  await page.goto("/audit?action=statement.*");
  const rows = page.locator("main tbody tr");
  await expect(rows.first()).toBeVisible();
  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(CUID);
  expect(text).not.toMatch(ISO);
  await expect(rows.first().getByRole("link", { name: /^statement [0-9a-f]{8}… · / })).toBeVisible();

  // Relative, with the exact time in the viewer's time zone on hover.
  const when = rows.first().locator("time");
  await expect(when).toHaveText(/ago|just now|yesterday/);
  await expect(when).toHaveAttribute("title", /^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} (CET|CEST|GMT\+1|GMT\+2)$/);

  await page.goto("/audit?action=application.created");
  await page.locator("main tbody tr").first().getByRole("link", { name: "application.created" }).click();
  await expect(page.getByText("Nothing: this event created it.")).toBeVisible();
  await expect(page.locator("dd").filter({ hasText: /^Admin$/ })).toBeVisible();
  expect(await page.locator("main").innerText()).not.toMatch(ISO);
});

test("addresses read as IPv4, never IPv4-mapped IPv6", async ({ page }) => {
  await signInAndWait(page, ACCOUNTS.admin);
  await page.goto("/account");
  await expect(page.getByTestId("session").first()).toBeVisible();
  expect(await page.locator("main").innerText()).not.toContain("::ffff:");
  await page.goto("/audit");
  expect(await page.locator("main").innerText()).not.toContain("::ffff:");
});

test("a viewer is not offered what only an admin can do; the Members card opens Members", async ({
  page,
}) => {
  await signInAndWait(page, ACCOUNTS.viewer);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Register an application" })).toHaveCount(0);
  await page
    .getByRole("link", { name: /Members/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/settings\/members$/);
});
