import { expect, test } from "@playwright/test";
import { ACCOUNTS, freshStatement, signInAndWait } from "./helpers";

/** Every destructive confirmation is the console's own styled dialog, never the browser's confirm(). */

test.beforeEach(async ({ page }) => {
  page.on("dialog", (d) => {
    throw new Error(`The browser's own dialog opened: ${d.message()}`);
  });
  await signInAndWait(page, ACCOUNTS.admin);
});

test("revoking an API token asks in the styled dialog first; Cancel changes nothing", async ({ page }) => {
  const name = `dialog-${Date.now()}`;
  await page.goto("/settings/tokens");
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const row = page.getByTestId(`token-${name}`);
  await expect(row).toBeVisible();

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`Revoke ${name}?`);
  await expect(dialog).toContainText("401");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await page.reload();
  await expect(row).not.toContainText("revoked");

  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(row).toContainText("revoked");
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);
});

test("a statement revoked in another tab: confirming shows the page as it now is", async ({ page }) => {
  const { id } = await freshStatement(page, `E2E Conflict ${Date.now()}`);
  await page.goto(`/statements/${id}`);
  await page.getByRole("button", { name: "Revoke…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/Reason/).fill("Revoked here too");

  // Meanwhile, another tab revokes it.
  const other = await page.request.post(`/api/admin/v1/orgs/acme/statements/${id}/revoke`, {
    headers: { Origin: new URL(page.url()).origin },
    data: { reason: "Revoked in another tab" },
  });
  expect(other.status()).toBe(200);

  await dialog.getByRole("button", { name: /Revoke and cut off/ }).click();
  await expect(page.getByText("Reason: Revoked in another tab")).toBeVisible();
  await expect(page.getByRole("button", { name: "Revoke…" })).toHaveCount(0);
  // The History card follows without a reload.
  await expect(page.getByRole("region", { name: "History" })).toContainText("statement.revoked");
});

test("a one-time banner goes once its moment has passed", async ({ page }) => {
  const { applicationId } = await freshStatement(page, `E2E Banner ${Date.now()}`);
  await page.goto(`/applications/${applicationId}?created=1`);
  await expect(page.getByText("Application created.")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/applications/${applicationId}$`));
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("Application created.")).toHaveCount(0);
});

test("disabled buttons look disabled", async ({ page }) => {
  await page.goto("/applications/new");
  const submit = page.getByRole("button", { name: /Create application/ });
  await submit.evaluate((b) => ((b as HTMLButtonElement).disabled = true));
  expect(Number(await submit.evaluate((b) => getComputedStyle(b).opacity))).toBeLessThan(1);
  expect(await submit.evaluate((b) => getComputedStyle(b).cursor)).toBe("not-allowed");
});
