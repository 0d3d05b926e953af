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
  // Attached, not visible: on a narrow screen the sidebar is folded behind its Menu button.
  await expect(page.locator('nav[aria-label="Main"]')).toBeAttached();
}

/**
 * A fresh application of `org`'s (acme unless told) with one generated statement, made through the admin API as
 * the signed-in admin.
 */
export async function freshStatement(
  page: Page,
  name: string,
  org = "acme",
): Promise<{ applicationId: string; id: string; softwareStatement: string }> {
  const headers = { Origin: new URL(page.url()).origin };
  const app = await page.request.post(`/api/admin/v1/orgs/${org}/applications`, {
    headers,
    data: { name, platforms: ["tvOS"], domains: ["tv.example.com"] },
  });
  expect(app.status()).toBe(201);
  const { id: applicationId } = (await app.json()) as { id: string };
  const statement = await page.request.post(
    `/api/admin/v1/orgs/${org}/applications/${applicationId}/statements`,
    {
      headers,
    },
  );
  expect(statement.status()).toBe(201);
  const made = (await statement.json()) as { id: string; software_statement: string };
  return { applicationId, id: made.id, softwareStatement: made.software_statement };
}
