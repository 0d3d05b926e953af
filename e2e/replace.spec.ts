import { expect, test } from "@playwright/test";
import { ACCOUNTS, freshStatement, signInAndWait } from "./helpers";

// In globex: the other specs read acme's demo registrations, and clients cut off here would show up among them.
test("an admin replaces a leaked statement: told first who is cut off; the statement URL serves the new one", async ({
  page,
}) => {
  await signInAndWait(page, ACCOUNTS.globexAdmin);
  const leaked = await freshStatement(page, `E2E Replace ${Date.now()}`, "globex");
  const register = (softwareStatement = leaked.softwareStatement) =>
    page.request.post("/o/client/register", {
      headers: { "content-type": "application/json" },
      data: { software_statement: softwareStatement },
    });
  const registered = await register();
  expect(registered.status()).toBe(201);
  const device = (await registered.json()) as { client_id: string; client_secret: string };
  const token = async () =>
    (
      await page.request.post("/o/client/token", {
        form: {
          grant_type: "client_credentials",
          client_id: device.client_id,
          client_secret: device.client_secret,
        },
      })
    ).status();
  expect(await token()).toBe(201);

  // The application's statement URL, turned on from its page: it serves the statement the app shipped with.
  await page.goto(`/applications/${leaked.applicationId}`);
  const card = page.getByTestId("statement-url");
  await expect(card).toContainText("Off");
  await card.getByRole("button", { name: "Turn on" }).click();
  await expect(card).toContainText("On ·");
  const url = `/o/client/statement/${leaked.applicationId}`;
  await expect(card).toContainText(url);
  const hosted = async () =>
    ((await (await page.request.get(url)).json()) as { software_statement: string }).software_statement;
  expect(await hosted()).toBe(leaked.softwareStatement);

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
  // The leaked statement registers nothing more, its client gets no token; the URL serves the replacement,
  // which registers.
  expect((await register()).status()).toBe(400);
  expect(await token()).toBe(400);
  const replacement = await hosted();
  expect(replacement).not.toBe(leaked.softwareStatement);
  expect((await register(replacement)).status()).toBe(201);
  await page.goto(`/applications/${leaked.applicationId}`);
  await expect(page.getByTestId("statement-url")).toContainText("Fetched 2 times in the last 7 days");
});
