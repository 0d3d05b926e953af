import { expect, test } from "@playwright/test";
import { ACCOUNTS, signInAndWait } from "./helpers";

test("a missing page answers 404 with one main landmark, signed in or not", async ({ page }) => {
  // Without a session, console paths go to sign-in first; help paths do not.
  for (const path of ["/help/faq/7", "/help/errors/no_such_code"]) {
    expect((await page.goto(path))?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.locator("main")).toHaveCount(1);
  }
  await signInAndWait(page, ACCOUNTS.admin);
  for (const path of ["/no-such-page", "/statements/no-such-statement", "/applications/no-such-app"]) {
    expect((await page.goto(path))?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.locator("main")).toHaveCount(1);
  }
});

test("the console has a favicon, served without a session", async ({ page, request }) => {
  await page.goto("/login");
  const href = await page.locator('link[rel="icon"]').first().getAttribute("href");
  expect(href).toBeTruthy();
  const icon = await request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
});

test("API form errors are field messages a person understands", async ({ page }) => {
  await signInAndWait(page, ACCOUNTS.admin);
  const res = await page.request.post("/api/admin/v1/orgs/acme/applications", {
    headers: { Origin: new URL(page.url()).origin },
    data: { platforms: "tvOS" },
  });
  expect(res.status()).toBe(400);
  const { error } = (await res.json()) as { error: { details: { fields: Record<string, string[]> } } };
  expect(error.details.fields.name).toEqual(["Give a name."]);
  expect(JSON.stringify(error)).not.toMatch(/Invalid input|expected \w+, received/);
});
