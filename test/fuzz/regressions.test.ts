import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { snapshot } from "@/test/fuzz/invariants";
import { startFuzz, type Fuzz } from "@/test/fuzz/setup";
import { signed } from "@/test/fuzz/statements";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * What test/fuzz/fuzz.test.ts found, each kept as a plain case: every one answered a 5xx, reset an innocent
 * request, or stored what it should have refused, before its fix.
 */
const baseUrl = inject("baseUrl");
const sql = await openServerSql();
afterAll(() => sql.close());
let fuzz: Fuzz;
beforeAll(async () => {
  fuzz = await startFuzz(baseUrl, inject("seedPassword"), sql, 120);
});

describe("regressions found by the fuzz", () => {
  it("a body the hot path refuses unread (413) closes its connection: the next request on it is not reset", async () => {
    const failures: string[] = [];
    const registerWith = (body: string) =>
      fetch(`${baseUrl}/o/client/register`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", "x-forwarded-for": fuzz.nextAddress() },
      })
        .then(
          async (res) => `${res.status} ${res.headers.get("connection")} ${(await res.text()).slice(0, 0)}`,
        )
        .catch(
          (error: Error & { cause?: Error }) => (
            failures.push(`${error.message} (${error.cause?.message})`),
            "failed"
          ),
        );
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const seen: string[] = [];
        for (let i = 0; i < 10; i++)
          seen.push(await registerWith("x".repeat(200_000)), await registerWith("{}"));
        return seen;
      }),
    );
    expect(failures).toEqual([]);
    expect(new Set(answers.flat().filter((a) => a.startsWith("413")))).toEqual(new Set(["413 close "]));
  });

  it("a path that is not valid percent-encoded UTF-8 is a 400 in the API's shape, not Next's bare 500", async () => {
    const configuration = await fetch(`${baseUrl}/api/v2/%ED%A0%80/configuration`, {
      headers: { "x-forwarded-for": fuzz.nextAddress() },
    });
    expect(configuration.status).toBe(400);
    expect(await configuration.json()).toMatchObject({
      action: "application-registration",
      status: 400,
      code: "invalid_request",
    });
    const adminApi = await fuzz.admin.fetch("/api/admin/v1/orgs/acme/statements/%FF");
    expect([adminApi.status, await adminApi.json()]).toEqual([
      400,
      { error: { code: "validation_failed", message: expect.any(String) } },
    ]);
  });

  it("a statement whose nbf is no date (1e308) is refused as invalid_software_statement, not a 500", async () => {
    const { trusted, applicationId } = fuzz.clientCtx.keys;
    const jwt = signed(
      JSON.stringify({ alg: "RS256", kid: trusted.kid }),
      JSON.stringify({ iss: trusted.iss, sub: applicationId, nbf: 1e308 }),
      trusted.privateKey,
    );
    const res = await fetch(`${baseUrl}/o/client/register`, {
      method: "POST",
      body: JSON.stringify({ software_statement: jwt }),
      headers: { "content-type": "application/json", "x-forwarded-for": fuzz.nextAddress() },
    });
    expect([res.status, (await res.json()).error]).toEqual([400, "invalid_software_statement"]);
  });

  it("an admin API body of invalid UTF-8 is a 400, not read as U+FFFD (which made a 2-letter reason long enough)", async () => {
    const body = Buffer.concat([Buffer.from('{"reason":"a'), Buffer.from([0xff]), Buffer.from('b"}')]);
    const res = await fuzz.admin.fetch(
      `/api/admin/v1/orgs/acme/statements/${fuzz.adminCtx.statementId}/revoke`,
      {
        method: "POST",
        headers: { "content-type": "application/json", origin: baseUrl },
        body: new Uint8Array(body),
      },
    );
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([
      400,
      "validation_failed",
    ]);
    const row = await sql.get<{ status: string }>(
      `SELECT "status" FROM "SoftwareStatement" WHERE "id" = ?`,
      fuzz.adminCtx.statementId,
    );
    expect(row?.status).toBe("ACTIVE");
  });

  it.each([
    ["downloadStatementAction", ["\ud800"]],
    ["removeIssuerAction", ["x\udfff"]],
    ["revokeTokenAction", ["\ud800"]],
    // PostgreSQL cannot hold NUL in text: found by the fuzz's PostgreSQL pass.
    ["removeIssuerAction", ["x\u0000y"]],
    ["disableMemberAction", ["\u0000", {}]],
  ])(
    "%s(%j) answers not_found, not a 500 (ids of any type, unpaired surrogates and NUL reach the database safely)",
    async (name, args) => {
      const { status, text } = await fuzz.callAction(fuzz.admin, name, args);
      expect(status, text).toBe(200);
      expect(text).toContain('"code":"not_found"');
    },
  );

  const TEXT = "text/plain;charset=UTF-8";
  const MULTIPART = "multipart/form-data; boundary=XX";
  const part = (name: string, value: string) =>
    `--XX\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  it.each([
    ["createApplicationAction", "a body that is not JSON", TEXT, "garbage{"],
    ["createApplicationAction", "a reference to a row that is not there", TEXT, '["$1"]'],
    ["createApplicationAction", "a blob reference to a missing part", TEXT, '[{}, "$B1"]'],
    ["createApplicationAction", "JSON null", TEXT, "null"],
    ["createApplicationAction", "a NUL in a part's name", MULTIPART, `${part("a\0b", "v")}--XX--\r\n`],
    ["createApplicationAction", "a multipart body cut short", MULTIPART, part("1_name", "x").slice(0, -2)],
    ["createApplicationAction", "a multipart type with no boundary", "multipart/form-data", "abc"],
    ["createApplicationAction", "a body over the 1 MB limit", TEXT, `["${"x".repeat(1_100_000)}"]`],
    ["createApplicationAction", "a string where the form belongs", TEXT, '[{}, "name=x&platforms=tvOS"]'],
    ["createApplicationAction", "no arguments at all", TEXT, "[]"],
    ["revokeTokenAction", "an object for the id", TEXT, '[{"id":"x"}]'],
    [
      "revokeStatementAction",
      "a form where the id belongs",
      MULTIPART,
      `${part("0", '["$K1",{},"$K1"]')}${part("1_reason", "a fine reason")}--XX--\r\n`,
    ],
    ["selectOrganizationAction", "a number for the slug", TEXT, "[1]"],
    ["signInAction", "a plain object for the form", TEXT, '[{}, {"email":"a@b.test","password":"p"}]'],
  ])(
    "%s with %s is a 400 before the action runs, not Next's 500, and changes nothing",
    async (name, _what, contentType, body) => {
      const before = await snapshot(sql);
      const { status, text } = await fuzz.postAction(fuzz.admin, name, body, contentType);
      expect(status, text.slice(0, 300)).toBe(400);
      expect(await snapshot(sql)).toEqual(before);
    },
  );

  it("/login?reason=toString renders the sign-in page, not a 500 (Object.prototype's toString as a notice)", async () => {
    const res = await fetch(`${baseUrl}/login?reason=toString`);
    expect(res.status).toBe(200);
  });

  it.each([
    ["GET", "/api/auth/signin?callbackUrl=toString"],
    ["GET", "/api/auth/signin?callbackUrl=%2Fok&callbackUrl=javascript%3Aalert(1)"],
    ["POST", "/api/auth/callback/credentials?callbackUrl=%EF%BB%BF"],
    ["POST", "/api/auth/signout?callbackUrl=data%3Atext%2Fhtml%2Cx"],
  ])(
    "%s %s: a callbackUrl Auth.js cannot parse is a 400, not its 500 'server configuration' error",
    async (method, path) => {
      const res = await fetch(baseUrl + path, {
        method,
        redirect: "manual",
        headers: { "x-forwarded-for": fuzz.nextAddress() },
      });
      expect([res.status, await res.json()]).toEqual([
        400,
        { error: { code: "validation_failed", message: expect.stringContaining("callbackUrl") } },
      ]);
    },
  );

  it("an empty callbackUrl, which Auth.js ignores, is let through", async () => {
    const res = await fetch(`${baseUrl}/api/auth/signin?callbackUrl=`, { redirect: "manual" });
    expect(res.status).toBe(302);
  });

  it("a callback-url cookie Auth.js cannot parse is dropped: the session still reads, and the browser is told to forget it", async () => {
    const admin = fuzz.admin.clone();
    admin.setCookie("authjs.callback-url", "toString");
    const session = await admin.fetch("/api/auth/session");
    expect(session.status).toBe(200);
    expect(((await session.json()) as { user?: { email?: string } }).user?.email).toBe("admin@acme.test");
    expect(session.headers.getSetCookie().some((c) => /^authjs\.callback-url=;/.test(c))).toBe(true);

    const page = fuzz.admin.clone();
    page.setCookie("authjs.callback-url", "javascript:alert(1)");
    const overview = await page.fetch("/applications");
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain("Acme TV for tvOS");
  });
});
