import { createHmac } from "node:crypto";
import { copyFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startHttpsReceiver, type HttpsReceiver } from "../test/harness/https-receiver";
import { ACCOUNTS, freshStatement, signInAndWait } from "./helpers";

/**
 * A receiver on loopback over HTTPS, its self-signed certificate copied where playwright.config.ts's
 * WEBHOOK_CA_FILE tells the app to look (the config also allows 127.0.0.1).
 */
let receiver: HttpsReceiver;
test.beforeAll(async () => {
  receiver = await startHttpsReceiver();
  copyFileSync(receiver.certFile, path.join(process.env.E2E_DATA_DIR!, "webhook-ca.pem"));
});
test.afterAll(() => receiver.close());

// In globex: revoking cuts clients off, and the other specs read acme's demo data.
test("an admin adds a webhook, sees its secret once, and a revocation shows up delivered in its log", async ({
  page,
}) => {
  await signInAndWait(page, ACCOUNTS.globexAdmin);
  const { id: statementId } = await freshStatement(page, `E2E Webhook ${Date.now()}`, "globex");
  const url = `${receiver.origin}/hooks/${Date.now()}`;

  await page.goto("/settings");
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page).toHaveURL(/\/settings\/webhooks$/);
  await page.getByLabel("URL").fill(url);
  await expect(page.getByLabel("statement.revoked")).toBeChecked();
  await page.getByRole("button", { name: "Add webhook" }).click();
  const secretBox = page.getByTestId("secret-once");
  await expect(secretBox).toHaveText(/^whsec_/);
  const secret = (await secretBox.textContent())!;
  const hook = page.getByTestId("webhook").filter({ hasText: url });
  await expect(hook).toContainText("No deliveries yet");

  // Shown once: a reload shows the webhook, never the secret again.
  await page.reload();
  await expect(page.getByTestId("secret-once")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(secret);

  // Revoke the statement from its page.
  await page.goto(`/statements/${statementId}`);
  await page.getByRole("button", { name: "Revoke…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/Reason/).fill("Webhook e2e");
  await dialog.getByRole("button", { name: /Revoke and cut off/ }).click();
  await expect(page.getByText("Reason: Webhook e2e")).toBeVisible();

  // The receiver gets it, signed with the secret shown.
  await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBeGreaterThan(0);
  const got = receiver.received.at(-1)!;
  const signed = `${String(got.headers["webhook-id"])}.${String(got.headers["webhook-timestamp"])}.${got.body}`;
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  expect(got.headers["webhook-signature"]).toBe(
    `v1,${createHmac("sha256", key).update(signed).digest("base64")}`,
  );
  expect(JSON.parse(got.body)).toMatchObject({
    type: "statement.revoked",
    data: { statement: { id: statementId } },
  });

  // And its log says so.
  await page.goto("/settings/webhooks");
  await hook.getByRole("link", { name: "Delivery log" }).click();
  const delivery = page.getByTestId("delivery").first();
  await expect(delivery).toContainText("statement.revoked");
  await expect(delivery).toContainText("Delivered");
  await expect(delivery).toContainText("200");

  // Paused and resumed (reversible, so nothing to confirm).
  await page.goto("/settings/webhooks");
  await hook.getByRole("button", { name: /^Pause the webhook/ }).click();
  await expect(hook).toContainText("Paused");
  await expect(hook.getByRole("button", { name: "Send test event" })).toHaveCount(0);
  await hook.getByRole("button", { name: /^Resume the webhook/ }).click();
  await expect(hook).toContainText("Active");

  // Test events: five a minute per webhook; the sixth is refused, saying when to try again.
  const sendTest = hook.getByRole("button", { name: "Send test event" });
  for (let i = 0; i < 6; i++)
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && !!r.request().headers()["next-action"]),
      sendTest.click(),
    ]);
  await expect(page.getByText(/5 test events in the last minute: try again in \d+ s\./)).toBeVisible();

  // A new secret, after confirming, shown once below the row.
  await hook.getByRole("button", { name: /^Rotate the signing secret/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Rotate secret" }).click();
  await expect(hook.getByText("New signing secret")).toBeVisible();
  await expect(hook.getByTestId("secret-once")).toHaveText(/^whsec_/);

  // Deleted, after confirming.
  await hook.getByRole("button", { name: "Delete" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Delete webhook" }).click();
  await expect(hook).toHaveCount(0);
});
