import { expect, test } from "@playwright/test";
import { ACCOUNTS, signInAndWait } from "./helpers";

test("an admin can rename the organization, and the change is audited", async ({ page }) => {
  await signInAndWait(page, ACCOUNTS.globexAdmin);
  await page.goto("/settings");
  const name = page.getByLabel("Organization name");
  await name.fill("x");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Use at least 2 characters.")).toBeVisible();

  await name.fill("Globex Broadcasting Corp");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(
    page.getByText("Saved. The organization is now called Globex Broadcasting Corp."),
  ).toBeVisible();
  await expect(page.getByTestId("org-name")).toHaveText("Globex Broadcasting Corp");

  await page.goto("/audit");
  await expect(page.getByRole("cell", { name: "org.updated" })).toBeVisible();
});

test("a viewer sees the same pages without any control that changes data", async ({ page }) => {
  await signInAndWait(page, ACCOUNTS.viewer);
  await expect(page.getByText("Viewer (read-only)")).toBeVisible();
  for (const path of ["/", "/settings", "/settings/issuers", "/audit", "/applications", "/statements"]) {
    await page.goto(path);
    await expect(page.locator("main h1, main h2").first()).toBeVisible();
    // Read-only controls (filters, downloads) may be there; nothing that changes data may.
    await expect(
      page.locator("main").locator('form[method="post" i], form:not([role="search"]), textarea'),
    ).toHaveCount(0);
    await expect(
      page
        .locator("main")
        .getByRole("button", { name: /save|add|create|upload|revoke|remove|get software statement/i }),
    ).toHaveCount(0);
    await expect(
      page.locator("main").getByRole("link", { name: /new application|upload statement/i }),
    ).toHaveCount(0);
  }
  await page.goto("/settings");
  await expect(page.getByText("Organization name")).toBeVisible();
  await expect(page.getByText("Acme Media", { exact: true }).last()).toBeVisible();
});

test("a representative picks an organization to act for and sees it stated on every page", async ({
  page,
}) => {
  await signInAndWait(page, ACCOUNTS.rep);
  await expect(page.getByRole("heading", { name: "Choose an organization" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Acting for" })).toHaveCount(0);

  await page.getByRole("button", { name: "Act for an organization" }).click();
  await expect(page.getByRole("menuitem", { name: /Acme Media/ })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: /Globex/ })).toBeVisible();
  await page.getByRole("menuitem", { name: /Acme Media/ }).click();

  const banner = page.getByRole("status").filter({ hasText: "Acting for Acme Media" });
  await expect(banner).toBeVisible();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: /^Settings/ })
    .click();
  await expect(banner).toBeVisible();
  await expect(page.getByLabel("Organization name")).toHaveValue("Acme Media");

  await page.goto("/audit");
  await expect(page.getByRole("row").filter({ hasText: "support.acting_started" }).first()).toContainText(
    "on behalf",
  );

  await banner.getByRole("button", { name: "Stop acting" }).click();
  await expect(page.getByRole("heading", { name: "Choose an organization" })).toBeVisible();
});
