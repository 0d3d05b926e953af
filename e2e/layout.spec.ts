import { mkdirSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, freshStatement, signInAndWait } from "./helpers";

/**
 * Every page holds at 1,366 px and at 390 px, with the seed data and with 100-character unbroken names: nothing
 * is wider than the viewport (tables scroll inside their card). Each page is photographed at both sizes into
 * test-results/screenshots/ for a person to look at.
 */
const WIDTHS = [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
];
const LONG = `E2E${"Unbroken".repeat(12)}`.slice(0, 100);
mkdirSync("test-results/screenshots", { recursive: true });

async function holds(page: Page, path: string, name: string, width: number) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  await page.locator("main").first().waitFor();
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  await page.screenshot({ path: `test-results/screenshots/${name}-${width}.png`, fullPage: true });
  expect(scroll, `${path} is ${scroll} px wide at ${inner} px`).toBeLessThanOrEqual(inner);
}

for (const viewport of WIDTHS) {
  test.describe(`at ${viewport.width} px`, () => {
    test.use({ viewport });

    test("every admin page fits, long names included", async ({ page }) => {
      test.setTimeout(240_000);
      await signInAndWait(page, ACCOUNTS.admin);
      const long = await freshStatement(page, `${LONG.slice(0, 90)}${viewport.width}`);
      const pick = async (api: string) =>
        ((await (await page.request.get(api)).json()) as { items: Record<string, string>[] }).items[0]!;
      const registration = await pick("/api/admin/v1/orgs/acme/registrations?limit=1");
      const event = await pick("/api/admin/v1/orgs/acme/audit?limit=1");
      const pages: [string, string][] = [
        ["/", "overview"],
        ["/applications", "applications"],
        ["/applications/new", "application-new"],
        [`/applications/${long.applicationId}`, "application"],
        ["/statements", "statements"],
        [`/statements/${long.id}`, "statement"],
        ["/statements/upload", "statement-upload"],
        ["/registrations", "registrations"],
        [`/registrations/${registration.clientId}`, "registration"],
        ["/simulator", "simulator"],
        ["/audit", "audit"],
        [`/audit/${event.id}`, "audit-event"],
        ["/settings", "settings"],
        ["/settings/members", "members"],
        ["/settings/issuers", "issuers"],
        ["/settings/tokens", "tokens"],
        ["/settings/webhooks", "webhooks"],
        ["/account", "account"],
        ["/help", "help"],
        ["/help/faq/2", "help-faq"],
        ["/help/errors/invalid_access_token_client_application", "help-error"],
      ];
      for (const [path, name] of pages) await holds(page, path, name, viewport.width);
    });

    test("the sign-in page, the not-found page and a representative's pages fit", async ({ page }) => {
      await holds(page, "/login", "login", viewport.width);
      await signInAndWait(page, ACCOUNTS.rep);
      await holds(page, "/", "rep-choose", viewport.width);
      await holds(page, "/organizations/new", "organization-new", viewport.width);
      await page.goto("/no-such-page");
      await page.screenshot({
        path: `test-results/screenshots/not-found-${viewport.width}.png`,
        fullPage: true,
      });
    });
  });
}

test.describe("on a narrow screen", () => {
  test.use({ viewport: WIDTHS[1] });

  test("the sidebar folds behind a Menu button, and closes when a link is followed", async ({ page }) => {
    await signInAndWait(page, ACCOUNTS.admin);
    const menu = page.getByRole("button", { name: "Menu", exact: true });
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    await menu.click();
    await expect(nav).toBeVisible();
    await nav.getByRole("link", { name: "Statements" }).click();
    await expect(page).toHaveURL(/\/statements$/);
    await expect(nav).toBeHidden();
  });
});
