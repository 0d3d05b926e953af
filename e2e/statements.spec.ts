import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from "jose";
import { statementIdentity } from "../lib/statements/identity";
import { ACCOUNTS, signInAndWait } from "./helpers";

/** Creates an application through the form and returns its id (from the page it lands on). */
async function createApplication(page: Page, name: string): Promise<string> {
  await page.goto("/applications");
  await page.getByRole("link", { name: "New application" }).click();
  await page.getByLabel("Name").fill(name);
  await expect(page.getByLabel("Version")).toHaveValue("1.0.0");
  await page.getByLabel("tvOS").check();
  await page.getByLabel("Roku").check();
  await page.getByLabel("Domains").fill("tv.example.test\napp.example.test");
  await page.getByRole("button", { name: "Create application" }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByText("Application created.")).toBeVisible();
  return page.url().split("/applications/")[1]!.split("?")[0]!;
}

test.describe("as an organization admin", () => {
  test.beforeEach(async ({ page }) => signInAndWait(page, ACCOUNTS.admin));

  test("creates an application and gets a statement that verifies with the published JWKS", async ({
    page,
    baseURL,
  }) => {
    await page.goto("/applications/new");
    await page.getByRole("button", { name: "Create application" }).click();
    await expect(page.getByText("Give the application a name.")).toBeVisible();
    await expect(page.getByText("Choose at least one platform.")).toBeVisible();

    const appId = await createApplication(page, `E2E Player ${Date.now()}`);
    const downloading = page.waitForEvent("download");
    await page.getByRole("button", { name: "Get software statement" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^software_statement_\d{13}\.txt$/);
    const jwt = readFileSync((await download.path())!, "utf8").trim();

    const jwks = await (await page.request.get("/.well-known/jwks.json")).json();
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(jwks), {
      issuer: baseURL,
      algorithms: ["RS256"],
    });
    expect(payload).toMatchObject({ sub: appId, software_id: appId, software_version: "1.0.0" });
    expect(protectedHeader.kid).toBeTruthy();

    await page.reload();
    await expect(page.getByRole("link", { name: /^Statement / })).toHaveCount(1);
  });

  test("uploads a statement signed by an issuer it trusts, after adding that issuer", async ({ page }) => {
    const appId = await createApplication(page, `E2E Upload ${Date.now()}`);
    const iss = `https://issuer-${Date.now()}.e2e.test`;
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "e2e-key-1", alg: "ES256" };
    const sign = (claims: Record<string, unknown>, key = privateKey) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "ES256", kid: "e2e-key-1" })
        .setIssuer(iss)
        .setIssuedAt()
        .sign(key);
    const statement = await sign({ sub: appId, software_id: appId });

    // Before the issuer is trusted, the upload is explained and refused.
    await page.goto("/statements/upload");
    await page.getByLabel("Software statement (JWT)").fill(statement);
    await expect(page.locator("#statement-check")).toContainText(
      `Issuer ${iss} is not trusted in this organization`,
    );
    await expect(page.getByRole("button", { name: "Save statement" })).toHaveCount(0);

    await page.goto("/settings/issuers");
    await page.getByLabel("Issuer (iss)").fill(iss);
    await page.getByRole("textbox", { name: "JWKS" }).fill(JSON.stringify({ keys: [jwk] }));
    await page.getByRole("button", { name: "Add issuer" }).click();
    await expect(page.getByText(`Statements from ${iss} can now be uploaded.`)).toBeVisible();
    await expect(page.getByText("JWKS: e2e-key-1")).toBeVisible();

    await page.goto("/statements/upload");
    await page.getByLabel("Software statement (JWT)").fill(statement);
    await expect(page.getByText("Signature verified")).toBeVisible();
    await expect(page.getByText(`Issued by ${iss}`)).toBeVisible();
    await expect(page.getByLabel("Attach to application")).toHaveValue(appId);
    await expect(page.getByLabel("Claims")).toContainText(appId);
    await page.getByRole("button", { name: "Save statement" }).click();
    await expect(page.getByText("Statement verified and stored.")).toBeVisible();
    await expect(page.getByText(/^Uploaded by admin@acme.test/)).toBeVisible();

    // The same statement again is recognised, not stored twice.
    await page.goto("/statements/upload");
    await page.getByLabel("Software statement (JWT)").fill(statement);
    await expect(page.getByText("This statement is already stored")).toBeVisible();
    await page.getByRole("link", { name: "open it" }).click();
    await expect(page.getByRole("heading", { name: /^Statement / })).toBeVisible();

    // Removing the issuer asks first, and is recorded.
    await page.goto("/settings/issuers");
    await page.getByRole("button", { name: `Remove ${iss}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove issuer" }).click();
    await expect(page.getByText(`JWKS: e2e-key-1`)).toHaveCount(0);
    await page.goto("/audit");
    await expect(page.getByRole("cell", { name: "issuer.removed" }).first()).toBeVisible();
  });

  test("a bad upload shows its explanation and stores nothing", async ({ page }) => {
    await page.goto("/statements/upload");
    const box = page.getByLabel("Software statement (JWT)");

    const hs256 = await new SignJWT({ sub: "x" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("https://x.test")
      .sign(new TextEncoder().encode("a-shared-secret-that-is-long-enough"));
    await box.fill(hs256);
    await expect(page.locator("#statement-check")).toContainText(
      "signed with HS256: only RS256, PS256, ES256 and EdDSA are accepted",
    );

    await box.fill("not a jwt at all");
    await expect(page.locator("#statement-check")).toContainText("This is not a signed JWT");

    await page.getByLabel("Choose a file…").setInputFiles({
      name: "statement.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(
        `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"iss":"https://x.test","sub":"a"}').toString("base64url")}.`,
      ),
    });
    await expect(page.locator("#statement-check")).toContainText("not signed at all (alg none)");

    await expect(page.getByRole("button", { name: "Save statement" })).toHaveCount(0);
    // Nothing with that statement's identity was stored (counting all statements would race other specs).
    const fingerprint = statementIdentity(hs256);
    const found = await page.request.get(`/api/admin/v1/orgs/acme/statements?q=${fingerprint}`);
    expect((await found.json()).items).toEqual([]);
  });

  test("revokes a statement with a reason, and the page says who, when and why", async ({ page }) => {
    await createApplication(page, `E2E Revoke ${Date.now()}`);
    await page.getByRole("button", { name: "Get software statement" }).click();
    await page.getByRole("link", { name: /^Statement / }).click();
    await expect(page).toHaveURL(/\/statements\/[^/]+$/);
    await expect(page.getByText("Active", { exact: true })).toBeVisible();

    await page.getByRole("button", { name: "Revoke…" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText(
      "Every client registered with it — 0 clients so far — will be refused tokens and API calls at once",
    );
    await expect(dialog).toContainText("This cannot be undone.");
    await dialog.getByRole("button", { name: /Revoke and cut off/ }).click();
    await expect(dialog.getByText("Say why the statement is revoked")).toBeVisible();

    await dialog.getByLabel(/Reason/).fill("Leaked build 9.9.9");
    await dialog.getByRole("button", { name: /Revoke and cut off/ }).click();
    await expect(page.getByText(/^Revoked .* by admin@acme\.test$/)).toBeVisible();
    await expect(page.getByText("Reason: Leaked build 9.9.9")).toBeVisible();
    await expect(page.getByRole("button", { name: "Revoke…" })).toHaveCount(0);

    await page.goto("/audit");
    await expect(page.getByRole("cell", { name: "statement.revoked" }).first()).toBeVisible();
  });

  test("the statements list filters by status and application", async ({ page }) => {
    await page.goto("/statements");
    await page.getByLabel("Status").selectOption("revoked");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/status=revoked/);
    const rows = page.locator("tbody tr");
    await expect(rows.first()).toBeVisible();
    for (const row of await rows.all()) await expect(row).toContainText("Revoked");

    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Application").selectOption({ label: "Acme TV for tvOS (1.0.0)" });
    await page.getByRole("button", { name: "Apply" }).click();
    for (const row of await rows.all()) await expect(row).toContainText("Acme TV for tvOS");
  });
});

test("a viewer sees applications and statements without any control that changes them, and the server refuses", async ({
  page,
}) => {
  await signInAndWait(page, ACCOUNTS.viewer);
  await page.goto("/applications");
  await expect(page.getByRole("link", { name: "Acme TV for tvOS" })).toBeVisible();
  await expect(page.getByRole("link", { name: "New application" })).toHaveCount(0);
  await page.getByRole("link", { name: "Acme TV for tvOS" }).click();
  await expect(page.getByRole("button", { name: "Get software statement" })).toHaveCount(0);
  await page
    .getByRole("link", { name: /^Statement / })
    .first()
    .click();
  await expect(page).toHaveURL(/\/statements\/[^/]+$/);
  await expect(page.getByRole("heading", { name: /^Statement / })).toBeVisible();
  await expect(page.getByRole("button", { name: "Revoke…" })).toHaveCount(0);
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download", exact: true }).click();
  expect((await downloading).suggestedFilename()).toMatch(/^software_statement_\d+\.txt$/);
  const statementId = page.url().split("/statements/")[1]!;

  await page.goto("/statements/upload");
  await expect(page.getByText("Viewers can read statements but not upload them.")).toBeVisible();

  const origin = new URL(page.url()).origin;
  const revoke = await page.request.post(`/api/admin/v1/orgs/acme/statements/${statementId}/revoke`, {
    headers: { Origin: origin },
    data: { reason: "viewer tries anyway" },
  });
  expect(revoke.status()).toBe(403);
  const create = await page.request.post("/api/admin/v1/orgs/acme/applications", {
    headers: { Origin: origin },
    data: { name: "Nope", platforms: ["Web"], domains: ["x.test"] },
  });
  expect(create.status()).toBe(403);
  const statement = await (
    await page.request.get(`/api/admin/v1/orgs/acme/statements/${statementId}`)
  ).json();
  expect(statement.status).toBe("active");
});
