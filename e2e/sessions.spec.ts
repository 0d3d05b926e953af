import { expect, test, type Browser } from "@playwright/test";
import { ACCOUNTS, signIn, signInAndWait } from "./helpers";

/** A new member of this spec's own (so ending sessions here touches no other spec's), with their password. */
async function newMember(browser: Browser): Promise<{ email: string; password: string }> {
  const email = `sam-${Date.now()}@acme.test`;
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAndWait(page, ACCOUNTS.admin);
  await page.goto("/settings/members");
  await page.getByLabel("Name").fill("Sam Sessions");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await page.getByRole("button", { name: "Add member" }).click();
  const password = (await page.getByTestId("secret-once").textContent())!.trim();
  await context.close();
  return { email, password };
}

test("Account → Sessions lists this browser's sessions and ends another one, then all others", async ({
  browser,
}) => {
  // Five sign-ins in four browsers.
  test.slow();
  const member = await newMember(browser);
  const signedIn = async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto("/login");
    await signIn(page, member.email, member.password);
    await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    return page;
  };
  const laptop = await signedIn();
  const phone = await signedIn();

  await laptop.goto("/account");
  const sessions = laptop.getByTestId("session");
  await expect(sessions).toHaveCount(2);
  await expect(sessions.filter({ hasText: "This session" })).toHaveCount(1);
  await sessions.getByRole("button", { name: /^End the session/ }).click();
  await laptop.getByRole("dialog").getByRole("button", { name: "End session" }).click();
  await expect(laptop.getByText("Session ended.")).toBeVisible();
  await expect(sessions).toHaveCount(1);
  await phone.reload();
  await expect(phone).toHaveURL(/\/login/);

  // Two more elsewhere, then "Sign out everywhere else": they end, this one stays.
  const others = [await signedIn(), await signedIn()];
  await laptop.reload();
  await expect(sessions).toHaveCount(3);
  await laptop.getByRole("button", { name: "Sign out everywhere else" }).click();
  await laptop.getByRole("dialog").getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(laptop.getByText("2 other sessions ended.")).toBeVisible();
  await expect(sessions).toHaveCount(1);
  for (const other of others) {
    await other.reload();
    await expect(other).toHaveURL(/\/login/);
  }
  await laptop.reload();
  await expect(laptop.getByRole("heading", { name: "Your account" })).toBeVisible();
});
