import { expect, test, type Page } from "@playwright/test";
import { ACCOUNTS, signInAndWait } from "./helpers";

/**
 * User-supplied text renders inert, and the Content-Security-Policy blocks nothing of ours: application
 * names (which also become claims of the statements generated for them) carrying an XSS corpus are shown
 * on every page that lists or details them; no script runs, no dialog opens, no CSP violation is reported.
 */
const CORPUS = [
  `<script>window.__xss = 1</script>`,
  `<img src=x onerror="window.__xss = 2">`,
  `"><svg onload=window.__xss=3>`,
  `javascript:window.__xss=4`,
  `{{constructor.constructor('window.__xss=5')()}}`,
  `</textarea><iframe srcdoc="<script>parent.__xss=6</script>">`,
];

async function watch(page: Page) {
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return {
    async assertInert() {
      expect(dialogs).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(
        await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
      ).toEqual([]);
    },
  };
}

test("an XSS corpus in application names and statement claims renders as text, under a nonce CSP", async ({
  page,
}) => {
  const guard = await watch(page);
  await signInAndWait(page, ACCOUNTS.admin);

  const created: { id: string; name: string }[] = [];
  const statements: string[] = [];
  for (const [i, payload] of CORPUS.entries()) {
    const name = `${payload} ${i}`.slice(0, 100);
    const res = await page.request.post("/api/admin/v1/orgs/acme/applications", {
      data: { name, platforms: ["Web"], domains: ["xss.example.test"] },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(res.status(), await res.text()).toBe(201);
    const app = (await res.json()) as { id: string; name: string };
    created.push(app);
    const statement = await page.request.post(`/api/admin/v1/orgs/acme/applications/${app.id}/statements`, {
      data: {},
      headers: { origin: new URL(page.url()).origin },
    });
    expect(statement.status()).toBe(201);
    statements.push(((await statement.json()) as { id: string }).id);
  }

  await page.goto("/applications");
  for (const app of created) await expect(page.getByText(app.name, { exact: true }).first()).toBeVisible();
  await guard.assertInert();

  const last = created.at(-1)!;
  await page.goto(`/applications/${last.id}`);
  await expect(page.getByRole("heading", { name: last.name })).toBeVisible();
  await guard.assertInert();

  await page.goto("/statements");
  await expect(page.locator("table").getByText(last.name).first()).toBeVisible();
  await guard.assertInert();

  // The statement's page shows its decoded claims, the application's name among them.
  await page.goto(`/statements/${statements.at(-1)}`);
  await expect(page.locator("main").getByText(last.name).first()).toBeVisible();
  await guard.assertInert();

  await page.goto("/audit");
  await expect(page.getByRole("table")).toBeVisible();
  await guard.assertInert();

  const response = await page.goto("/");
  const csp = response!.headers()["content-security-policy"]!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  await guard.assertInert();
});
