import { expect, type Page } from "@playwright/test";

export const PASSWORD = "e2e-demo-password";

export const ACCOUNTS = {
  admin: "admin@acme.test",
  viewer: "viewer@acme.test",
  globexAdmin: "admin@globex.test",
  rep: "rep@support.test",
} as const;

/** Signs in through the form, as a person would. */
export async function signIn(page: Page, email: string, password = PASSWORD) {
  if (!page.url().includes("/login")) await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signInAndWait(page: Page, email: string) {
  await signIn(page, email);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}
