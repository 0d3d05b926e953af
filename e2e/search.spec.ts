import { expect, test } from "@playwright/test";
import { ACCOUNTS, signInAndWait } from "./helpers";

/** Statement search matches any part of what identifies a statement, from 3 characters, and says so. */

type Statement = { id: string; fingerprint: string; applicationName: string; claims: { jti?: string } };

test.beforeEach(async ({ page }) => signInAndWait(page, ACCOUNTS.admin));

async function search(page: import("@playwright/test").Page, q: string) {
  await page.goto(`/statements?q=${encodeURIComponent(q)}`);
  return page.locator("main tbody tr");
}

test("matches the middle of a fingerprint, part of an application name, and part of a jti", async ({
  page,
}) => {
  const res = await page.request.get("/api/admin/v1/orgs/acme/statements?limit=200");
  const statements = ((await res.json()) as { items: Statement[] }).items;
  const generated = statements.find((s) => s.claims.jti && s.applicationName === "Acme TV for tvOS")!;

  let rows = await search(page, generated.fingerprint.slice(20, 30).toUpperCase());
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(generated.fingerprint.slice(0, 8));

  rows = await search(page, "for tvO");
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) await expect(row).toContainText("Acme TV for tvOS");

  rows = await search(page, generated.claims.jti!.slice(4, 16));
  await expect(rows).toHaveCount(1);
  await expect(
    page.getByText(/Any part of a fingerprint, issuer, subject, application name or jti/),
  ).toBeVisible();
});

test("a search shorter than 3 characters is refused with a reason, never answered 'no match'", async ({
  page,
}) => {
  await search(page, "ab");
  await expect(page.locator("main").getByRole("alert")).toHaveText("Type at least 3 characters to search.");
  await expect(page.getByText("No statement matches these filters")).toHaveCount(0);
});
