import { expect, test, type Page } from "@playwright/test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { ACCOUNTS, signInAndWait } from "./helpers";

/**
 * A statement is held by one organization. When another uploaded it first, the rightful organization is told
 * so (naming nobody), and a support representative moves it, with its clients, to where it belongs.
 */
test("a representative moves a statement uploaded by the wrong organization to the right one", async ({
  page,
  baseURL,
}) => {
  const iss = `https://shared-${Date.now()}.e2e.test`;
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "shared-1", alg: "ES256" };
  const statement = await new SignJWT({ sub: `tv-${Date.now()}` })
    .setProtectedHeader({ alg: "ES256", kid: "shared-1" })
    .setIssuer(iss)
    .setIssuedAt()
    .sign(privateKey);

  await signInAndWait(page, ACCOUNTS.rep);
  const api = async (method: "GET" | "POST", path: string, data?: unknown) => {
    const res = await page.request.fetch(`/api/admin/v1${path}`, {
      method,
      data,
      headers: { origin: baseURL! },
    });
    expect(res.ok(), await res.text()).toBe(true);
    return res.json();
  };
  // Both organizations trust the issuer; Globex uploads Acme's statement first.
  const appOf = async (org: string) => (await api("GET", `/orgs/${org}/applications`)).items[0];
  const [acmeApp, globexApp] = [await appOf("acme"), await appOf("globex")];
  for (const org of ["acme", "globex"])
    await api("POST", `/orgs/${org}/issuers`, { iss, jwks: { keys: [jwk] } });
  const held = await api("POST", "/orgs/globex/statements", {
    software_statement: statement,
    applicationId: globexApp.id,
  });

  // Acme (here its representative acting for it) is refused, without being told who holds it.
  await showOrganization(page, baseURL!, "acme");
  await page.goto("/statements/upload");
  await page.getByLabel("Software statement (JWT)").fill(statement);
  const check = page.locator("#statement-check");
  await expect(check).toContainText("already registered by another organization");
  await expect(check).not.toContainText(/globex/i);
  await expect(page.getByRole("button", { name: "Save statement" })).toHaveCount(0);

  // Support moves it from Globex to Acme's application.
  await showOrganization(page, baseURL!, "globex");
  await page.goto(`/statements/${held.id}`);
  await page.getByRole("button", { name: "Move…" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Organization", { exact: true }).selectOption({ label: "Acme Media" });
  await dialog.getByLabel("Application there").selectOption(acmeApp.id);
  await dialog.getByLabel(/^Reason/).fill("Acme's own tvOS statement, uploaded by Globex by mistake");
  await dialog.getByRole("button", { name: "Move statement" }).click();

  await expect(
    page.getByText("Statement moved to Acme Media, with the clients it registered."),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: acmeApp.name })).toBeVisible();
  await page.goto("/audit");
  await expect(page.getByRole("cell", { name: "statement.moved_in" }).first()).toBeVisible();
});

async function showOrganization(page: Page, baseURL: string, slug: string) {
  await page.context().addCookies([{ name: "current-org", value: slug, url: baseURL }]);
}
