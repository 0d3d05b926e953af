import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startInstance, type Instance } from "@/test/harness/instance";

/**
 * A fresh deployment as `npm start` makes it, with no proxy in front (TRUST_PROXY unset): its data files are
 * for its own user only, and what a client claims about the site it reached (X-Forwarded-Host/-Proto) is
 * ignored. Its own instance and data directory, on SQLite whatever TEST_DB says: the files are the point.
 */
const root = mkdtempSync(path.join(tmpdir(), "sc-hardening-"));
const dataDir = path.join(root, "data"); // made by the app, as on a first start
let app: Instance;

beforeAll(async () => {
  app = await startInstance({
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, "app.db")}`,
    SEED_PASSWORD: inject("seedPassword"),
    TRUST_PROXY: "false",
  });
}, 240_000);
afterAll(async () => {
  await app?.stop();
  rmSync(root, { recursive: true, force: true });
});

const mode = (file: string) => (statSync(path.join(dataDir, file)).mode & 0o777).toString(8);

describe("the data directory", () => {
  it("holds the database, its WAL and shared memory, and the auth secret readable by their owner only", async () => {
    // A request that reads and writes the database, so SQLite has its -wal and -shm files open.
    expect((await fetch(`${app.baseUrl}/api/auth/csrf`)).status).toBe(200);
    const files = readdirSync(dataDir);
    const secret = process.env.AUTH_SECRET ? [] : ["auth-secret"]; // a configured secret is not written here
    expect(files).toEqual(expect.arrayContaining(["app.db", "app.db-wal", "app.db-shm", ...secret]));
    for (const file of files) expect(`${file} ${mode(file)}`).toBe(`${file} 600`);
    expect(mode(".")).toBe("700");
  });
});

/** The sign-in form's hidden fields (its server action), as a browser without JavaScript would post them. */
async function signInForm(email: string, password: string): Promise<FormData> {
  const html = await (await fetch(`${app.baseUrl}/login`)).text();
  const form = new FormData();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g))
    form.append(name!, (value ?? "").replaceAll("&quot;", '"').replaceAll("&amp;", "&"));
  form.set("email", email);
  form.set("password", password);
  return form;
}

describe("forwarded headers without a trusted proxy", () => {
  it("X-Forwarded-Host cannot send a signed-in user to another site (nor pass the action's origin check)", async () => {
    const res = await fetch(`${app.baseUrl}/login`, {
      method: "POST",
      headers: { "x-forwarded-host": "evil.example", origin: "http://evil.example" },
      body: await signInForm("admin@acme.test", inject("seedPassword")),
      redirect: "manual",
    });
    expect(res.headers.get("location") ?? "").not.toContain("evil.example");
    // The same form from this site signs in and stays here.
    const ok = await fetch(`${app.baseUrl}/login`, {
      method: "POST",
      headers: { origin: app.baseUrl },
      body: await signInForm("admin@acme.test", inject("seedPassword")),
      redirect: "manual",
    });
    expect(ok.status).toBe(303);
    expect(new URL(ok.headers.get("location")!, app.baseUrl).origin).toBe(app.baseUrl);
  });

  it("X-Forwarded-Proto: https does not make plain HTTP pick HTTPS-only cookies", async () => {
    const res = await fetch(`${app.baseUrl}/api/auth/csrf`, { headers: { "x-forwarded-proto": "https" } });
    const cookies = res.headers.getSetCookie().join("\n");
    expect(cookies).toMatch(/^authjs\.csrf-token=/m);
    expect(cookies).not.toMatch(/__Host-|__Secure-|; Secure/);
  });
});
