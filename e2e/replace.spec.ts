import { expect, test } from "@playwright/test";
import { ACCOUNTS, freshStatement, signInAndWait } from "./helpers";

test("an admin replaces a leaked statement: told first who is cut off, then given the new one", async ({
  page,
}) => {
  await signInAndWait(page, ACCOUNTS.admin);
  const leaked = await freshStatement(page, `E2E Replace ${Date.now()}`);
  const register = () =>
    page.request.post("/o/client/register", {
      headers: { "content-type": "application/json" },
      data: { software_statement: leaked.softwareStatement },
    });
  expect((await register()).status()).toBe(201);

  await page.goto(`/statements/${leaked.id}`);
  await page.getByRole("button", { name: "Replace…" }).click();
  const dialog = page.getByRole("dialog", { name: "Replace this statement?" });
  await expect(dialog).toContainText("1 client so far");
  await expect(dialog).toContainText("A new statement for the same application is issued in the same step");
  // A reason is required: nothing happens without one.
  await dialog.getByRole("button", { name: "Replace and cut off 1 client" }).click();
  await expect(dialog.getByText(/Say why the statement is revoked/)).toBeVisible();
  await dialog.getByLabel("Reason (recorded in the audit trail)").fill("Build 5.0 leaked on a public mirror");
  await dialog.getByRole("button", { name: "Replace and cut off 1 client" }).click();

  // The replacement's page, saying what it replaced, with the download at hand.
  await expect(page.getByText("This statement replaces")).toBeVisible();
  expect(new URL(page.url()).pathname).not.toBe(`/statements/${leaked.id}`);
  await expect(page.getByRole("button", { name: "Download", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "the one revoked" }).click();
  await expect(page.getByText("Reason: Build 5.0 leaked on a public mirror")).toBeVisible();
  // The leaked statement registers nothing more.
  expect((await register()).status()).toBe(400);
});
