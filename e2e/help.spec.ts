import { expect, test } from "@playwright/test";
import { ACCOUNTS, signInAndWait } from "./helpers";

/** Help in place: the FAQ's rules as pages, the simulator linking to them, errors linking to their page. */

test("the six FAQ rules are help pages anyone can open, listed from the sidebar", async ({ page }) => {
  for (let rule = 1; rule <= 6; rule++) {
    const response = await page.goto(`/help/faq/${rule}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(`FAQ rule ${rule}`);
  }
  expect((await page.goto("/help/faq/7"))?.status()).toBe(404);

  await signInAndWait(page, ACCOUNTS.viewer);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Help" }).click();
  await expect(page.getByRole("heading", { name: "Help", level: 1 })).toBeVisible();
  await page.getByRole("link", { name: /FAQ rule 5: Token refresh/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("refresh with the stored credentials");
});

test("a client error's helpUrl is this console's own page for that code", async ({ request, baseURL }) => {
  const res = await request.get("/api/v2/acme/configuration", {
    headers: { "X-Forwarded-For": "198.51.100.7" },
  });
  expect(res.status()).toBe(401);
  const body = (await res.json()) as { code: string; helpUrl: string };
  expect(body.helpUrl).toBe(`${baseURL}/help/errors/${body.code}`);
  const help = await request.get(body.helpUrl);
  expect(help.status()).toBe(200);
  expect(await help.text()).toContain(body.code);
  expect((await request.get("/help/errors/no_such_code")).status()).toBe(404);
});

test("the simulator's FAQ rule mentions link to the rule's help page", async ({ page, context }) => {
  await signInAndWait(page, ACCOUNTS.admin);
  const statements = await page.request.get("/api/admin/v1/orgs/acme/statements?status=active&limit=200");
  const { items } = (await statements.json()) as { items: { id: string; applicationName: string }[] };
  const statement = items.find((s) => s.applicationName === "Acme TV for tvOS")!;
  await page.goto(`/simulator?statement=${statement.id}`);
  await page.getByRole("button", { name: "Register", exact: true }).click();
  const link = page.getByRole("list", { name: "Timeline" }).getByRole("link", { name: "FAQ rule 3" });
  await expect(link).toHaveAttribute("href", "/help/faq/3");
  const [help] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await expect(help.getByRole("heading", { level: 1 })).toContainText("FAQ rule 3");
});
