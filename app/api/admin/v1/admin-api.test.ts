import {
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
} from "jose";
import { statementIdentity } from "@/lib/statements/identity";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";

// ── Helpers ──────────────────────────────────────────────────────────────────────────────────────────────

const password = inject("seedPassword");
const baseUrl = inject("baseUrl");
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

type ErrorBody = {
  error: { code: string; message: string; details?: { fields?: Record<string, string[]> } };
};
type Reply<T = ErrorBody> = { status: number; body: T };
type Page<T> = { items: T[]; nextCursor: string | null };
type App = {
  id: string;
  name: string;
  version: string;
  platforms: string[];
  domains: string[];
  channel: string | null;
  scopes: string[];
  createdByEmail: string | null;
};
type Statement = {
  id: string;
  applicationId: string;
  applicationName: string;
  software_statement: string;
  fingerprint: string;
  issuer: string;
  subject: string | null;
  kid: string | null;
  origin: string;
  status: string;
  claims: Record<string, unknown>;
  revokedAt: string | null;
  revokedReason: string | null;
  revokedByEmail: string | null;
  duplicate?: boolean;
};

/** A signed-in user of the admin API (session cookie); mutations carry a same-origin Origin unless told otherwise. */
class Client {
  readonly http = new HttpSession();

  static async signedIn(email: string): Promise<Client> {
    const client = new Client();
    const res = await client.http.signIn(email, password);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).not.toContain("error");
    return client;
  }

  get<T = ErrorBody>(path: string) {
    return this.send<T>("GET", path);
  }

  post<T = ErrorBody>(path: string, body: unknown, headers: Record<string, string> = { origin: baseUrl }) {
    return this.send<T>(
      "POST",
      path,
      { "content-type": "application/json", ...headers },
      JSON.stringify(body),
    );
  }

  private async send<T>(
    method: string,
    path: string,
    headers: Record<string, string> = {},
    body?: string,
  ): Promise<Reply<T>> {
    const res = await this.http.fetch(`/api/admin/v1${path}`, { method, headers, body });
    return { status: res.status, body: (await res.json()) as T };
  }
}

function expectError(reply: Reply<unknown>, status: number, code: string, message?: RegExp) {
  expect(reply.status).toBe(status);
  expect(reply.body).toMatchObject({
    error: { code, message: message ? expect.stringMatching(message) : expect.any(String) },
  });
}

const ACME = "/orgs/acme";
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const count = async (sql: string, ...args: unknown[]) => (await serverDb.get<{ n: number }>(sql, ...args))!.n;
const acmeId = (await serverDb.get<{ id: string }>(`SELECT "id" FROM "Organization" WHERE "slug" = 'acme'`))!
  .id;
const statementCount = () =>
  count(`SELECT COUNT(*) AS n FROM "SoftwareStatement" WHERE "organizationId" = ?`, acmeId);
const appsNamed = (name: string) => count(`SELECT COUNT(*) AS n FROM "Application" WHERE "name" = ?`, name);
type AuditRow = {
  action: string;
  actorEmail: string | null;
  targetId: string | null;
  before: string | null;
  after: string | null;
};
// Other test files share the app and its database: count only the events this file's requests made, on the
// organization's own chain (what people do through the API; client events go on its client lanes).
const chain = `org:${acmeId}`;
const seqBefore =
  (await serverDb.get<{ n: number | null }>(
    `SELECT MAX("seq") AS n FROM "AuditEvent" WHERE "chain" = ?`,
    chain,
  ))!.n ?? 0;
const auditEvents = (action: string) =>
  serverDb.all<AuditRow>(
    `SELECT * FROM "AuditEvent" WHERE "chain" = ? AND "action" = ? AND "seq" > ? ORDER BY "seq"`,
    chain,
    action,
    seqBefore,
  );

// A statement issuer trusted by acme during these tests (RS256 JWKS), one given as a PEM key (ES256), and an attacker.
const ISSUER = "https://ci-issuer.example.test";
const PEM_ISSUER = "https://pem-issuer.example.test";
const KID = "ci-key-1";
let issuerKey: CryptoKey, issuerJwk: JWK, pemKey: CryptoKey, pemPublic: string, attackerKey: CryptoKey;

let admin: Client, viewer: Client, globexAdmin: Client, rep: Client;
let tvApp: App, globexApp: App;

function signed(claims: JWTPayload, key = issuerKey, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ iss: ISSUER, iat: now(), nbf: now(), ...claims })
    .setProtectedHeader({ alg: "RS256", kid: KID, typ: "JWT", ...header })
    .sign(key);
}

/** Uploads that must be refused, each with its own code (sub names an acme application unless the case is about it). */
const REJECTIONS: { code: string; make: () => Promise<string> }[] = [
  {
    code: "unsupported_algorithm",
    make: async () => `${b64({ alg: "none" })}.${b64({ iss: ISSUER, sub: tvApp.id })}.`,
  },
  { code: "untrusted_issuer", make: () => signed({ iss: "https://stranger.example.test", sub: tvApp.id }) },
  { code: "bad_signature", make: () => signed({ sub: tvApp.id }, attackerKey) },
  { code: "unknown_key", make: () => signed({ sub: tvApp.id }, issuerKey, { kid: "retired-key" }) },
  { code: "expired", make: () => signed({ sub: tvApp.id, exp: now() - 3600 }) },
  { code: "not_yet_valid", make: () => signed({ sub: tvApp.id, nbf: now() + 3600 }) },
  { code: "missing_claims", make: () => signed({}) },
  { code: "malformed", make: async () => "this-is-not.a-jwt" },
  { code: "too_large", make: () => signed({ sub: tvApp.id, padding: "x".repeat(20_000) }) },
];

const createdApps: App[] = [];
const uploadedJwts: string[] = [];

async function newApp(name: string, extra: Record<string, unknown> = {}): Promise<App> {
  const { status, body } = await admin.post<App>(`${ACME}/applications`, {
    name,
    platforms: ["Web"],
    domains: ["app.example.test"],
    ...extra,
  });
  expect(status).toBe(201);
  createdApps.push(body);
  return body;
}

beforeAll(async () => {
  [admin, viewer, globexAdmin, rep] = await Promise.all([
    Client.signedIn("admin@acme.test"),
    Client.signedIn("viewer@acme.test"),
    Client.signedIn("admin@globex.test"),
    Client.signedIn("rep@support.test"),
  ]);
  tvApp = (await admin.get<Page<App>>(`${ACME}/applications?limit=200`)).body.items.find(
    (a) => a.name === "Acme TV for tvOS",
  )!;
  globexApp = (await globexAdmin.get<Page<App>>("/orgs/globex/applications")).body.items[0]!;
  const rsa = await generateKeyPair("RS256", { extractable: true });
  issuerKey = rsa.privateKey;
  issuerJwk = { ...(await exportJWK(rsa.publicKey)), kid: KID, alg: "RS256", use: "sig" };
  const ec = await generateKeyPair("ES256");
  [pemKey, pemPublic] = [ec.privateKey, await exportSPKI(ec.publicKey)];
  attackerKey = (await generateKeyPair("RS256")).privateKey;
});

// ── Authentication and organizations ────────────────────────────────────────────────────────────────────

describe("authentication and organizations", () => {
  it("answers 401 with a JSON error when signed out", async () => {
    const anonymous = new Client();
    expectError(await anonymous.get("/orgs"), 401, "unauthenticated", /Sign in/);
    expectError(
      await anonymous.post(`${ACME}/applications`, { name: "Anonymous app" }),
      401,
      "unauthenticated",
    );
    expect(await appsNamed("Anonymous app")).toBe(0);
  });

  it("lists only the caller's organizations, and every one for a representative", async () => {
    const own = await admin.get<Page<{ slug: string }>>("/orgs");
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ items: [expect.objectContaining({ slug: "acme" })], nextCursor: null });
    const all = await rep.get<Page<{ slug: string }>>("/orgs");
    expect(all.body.items.map((o) => o.slug)).toEqual(expect.arrayContaining(["acme", "globex"]));
  });

  it("answers 404 for an unknown organization and for one the caller is not a member of", async () => {
    expectError(await admin.get("/orgs/no-such-org/applications"), 404, "not_found");
    expectError(await rep.get("/orgs/no-such-org/applications"), 404, "not_found");
    expectError(await globexAdmin.get(`${ACME}/applications`), 404, "not_found");
    expectError(await globexAdmin.get(`${ACME}/applications/${tvApp.id}`), 404, "not_found");
  });
});

// ── Applications ─────────────────────────────────────────────────────────────────────────────────────────

describe("applications", () => {
  it("creates an application (201), echoing its fields with version 1.0.0 by default, and reads it back", async () => {
    const app = await newApp("Created app", {
      platforms: ["Roku", "Web"],
      domains: ["TV.Example.test", "*.example.test"],
      channel: "News",
    });
    expect(app).toMatchObject({
      name: "Created app",
      version: "1.0.0",
      platforms: ["Roku", "Web"],
      channel: "News",
      domains: ["tv.example.test", "*.example.test"],
      scopes: ["api:client:v2"],
      createdByEmail: "admin@acme.test",
    });
    const read = await admin.get<App>(`${ACME}/applications/${app.id}`);
    expect(read).toMatchObject({ status: 200, body: { id: app.id, name: "Created app", version: "1.0.0" } });
  });

  it("rejects invalid input with 400 and per-field messages, creating nothing", async () => {
    const reply = await admin.post(`${ACME}/applications`, {
      name: "Bad app",
      version: "!",
      platforms: ["Betamax"],
      domains: ["not a host"],
    });
    expectError(reply, 400, "validation_failed");
    expect(Object.keys(reply.body.error.details?.fields ?? {})).toEqual(
      expect.arrayContaining(["version", "platforms", "domains"]),
    );
    expect(reply.body.error.details?.fields?.platforms?.[0]).toMatch(/Choose platforms from the list/);
    expectError(
      await admin.post(`${ACME}/applications`, { platforms: ["Web"], domains: ["a.test"] }),
      400,
      "validation_failed",
    );
    expect(await appsNamed("Bad app")).toBe(0);
  });

  it("pages through the list with limit and cursor, without duplicates, ending with nextCursor null", async () => {
    for (let i = 1; i <= 5; i++) await newApp(`Paging app ${i}`);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page: Reply<Page<App>> = await admin.get<Page<App>>(
        `${ACME}/applications?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((a) => a.id));
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }
    expect(cursor).toBeNull();
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining([tvApp.id, ...createdApps.map((a) => a.id)]));
    expect(seen.length).toBe(
      await count(`SELECT COUNT(*) AS n FROM "Application" WHERE "organizationId" = ?`, acmeId),
    );
  });

  it("answers 400 for a bad cursor", async () => {
    expectError(
      await admin.get(`${ACME}/applications?cursor=garbage`),
      400,
      "validation_failed",
      /cursor is not valid/,
    );
  });

  it("answers 400 validation_failed for a limit out of range, as the statements list does", async () => {
    expectError(await admin.get(`${ACME}/statements?limit=201`), 400, "validation_failed");
    const replies = await Promise.all(
      ["0", "201", "two"].map((limit) => admin.get(`${ACME}/applications?limit=${limit}`)),
    );
    expect(replies.map((r) => [r.status, r.body.error.code])).toEqual(
      [0, 1, 2].map(() => [400, "validation_failed"]),
    );
  });

  it("refuses a viewer (403) and creates nothing", async () => {
    const reply = await viewer.post(`${ACME}/applications`, {
      name: "Viewer app",
      platforms: ["Web"],
      domains: ["v.test"],
    });
    expectError(reply, 403, "forbidden", /Viewers can look but not change/);
    expect(await appsNamed("Viewer app")).toBe(0);
  });

  it("answers 404 for another organization's application", async () => {
    expectError(await admin.get(`${ACME}/applications/${globexApp.id}`), 404, "not_found");
    expectError(await admin.post(`${ACME}/applications/${globexApp.id}/statements`, {}), 404, "not_found");
  });
});

describe("cross-site requests", () => {
  it("refuses a mutation without an Origin header, or from another origin (403), and creates nothing", async () => {
    const body = { name: "CSRF app", platforms: ["Web"], domains: ["csrf.test"] };
    expectError(await admin.post(`${ACME}/applications`, body, {}), 403, "forbidden", /Origin header/);
    expectError(
      await admin.post(`${ACME}/applications`, body, { origin: "https://evil.example" }),
      403,
      "forbidden",
    );
    expect(await appsNamed("CSRF app")).toBe(0);
  });
});

// ── Statements ───────────────────────────────────────────────────────────────────────────────────────────

describe("issuing statements", () => {
  it("signs a statement that verifies against the published JWKS, with the documented claims", async () => {
    const app = await newApp("Issued app", { version: "2.4.0" });
    const { status, body } = await admin.post<Statement>(`${ACME}/applications/${app.id}/statements`, {});
    expect(status).toBe(201);
    expect(body).toMatchObject({
      applicationId: app.id,
      origin: "generated",
      status: "active",
      issuer: baseUrl,
      fingerprint: statementIdentity(body.software_statement),
    });
    const jwks = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(body.software_statement, createLocalJWKSet(jwks), {
      issuer: baseUrl,
    });
    expect(protectedHeader).toMatchObject({ alg: "RS256", kid: expect.any(String) });
    expect(payload).toMatchObject({
      iss: baseUrl,
      sub: app.id,
      software_id: app.id,
      software_version: "2.4.0",
      client_name: "Issued app",
      iat: expect.any(Number),
      nbf: expect.any(Number),
      jti: expect.any(String),
    });

    const again = await admin.post<Statement>(`${ACME}/applications/${app.id}/statements`, {});
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(body.id);
    expect(again.body.software_statement).not.toBe(body.software_statement);
    expect(again.body.claims.jti).not.toBe(payload.jti);
  });

  it("refuses a viewer (403)", async () => {
    const before = await statementCount();
    expectError(await viewer.post(`${ACME}/applications/${tvApp.id}/statements`, {}), 403, "forbidden");
    expect(await statementCount()).toBe(before);
  });
});

// The upload tests below rely on these issuers being trusted by acme.
describe("trusted issuers", () => {
  it("adds an issuer given as a JWKS (201), refuses it twice (409)", async () => {
    const { status, body } = await admin.post(`${ACME}/issuers`, {
      iss: ISSUER,
      jwks: { keys: [issuerJwk] },
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ iss: ISSUER, keyKind: "jwks", kids: [KID] });
    expectError(
      await admin.post(`${ACME}/issuers`, { iss: ISSUER, jwks: { keys: [issuerJwk] } }),
      409,
      "conflict",
      /already trusted/,
    );
  });

  it("refuses a JWKS that contains private key material (400)", async () => {
    const { privateKey } = await generateKeyPair("RS256", { extractable: true });
    const reply = await admin.post(`${ACME}/issuers`, {
      iss: "https://private.example.test",
      jwks: { keys: [await exportJWK(privateKey)] },
    });
    expectError(reply, 400, "validation_failed");
    expect(reply.body.error.details?.fields?.jwks?.[0]).toMatch(/private or secret key material/);
  });

  it("adds an issuer given as a PEM public key (201)", async () => {
    const { status, body } = await admin.post(`${ACME}/issuers`, { iss: PEM_ISSUER, pem: pemPublic });
    expect(status).toBe(201);
    expect(body).toMatchObject({ iss: PEM_ISSUER, keyKind: "pem" });
  });
});

describe("uploading statements", () => {
  let target: App;
  beforeAll(async () => {
    target = await newApp("Upload target");
  });

  it("stores a statement whose sub names an application (201), and the same one again only once (200)", async () => {
    const jwt = await signed({ sub: target.id });
    uploadedJwts.push(jwt);
    const first = await admin.post<Statement>(`${ACME}/statements`, { software_statement: jwt });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      origin: "uploaded",
      status: "active",
      applicationId: target.id,
      issuer: ISSUER,
      subject: target.id,
      kid: KID,
      fingerprint: statementIdentity(jwt),
      software_statement: jwt,
      duplicate: false,
    });

    const second = await admin.post<Statement>(`${ACME}/statements`, { software_statement: jwt });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, duplicate: true });
    const list = await admin.get<Page<Statement>>(`${ACME}/statements?applicationId=${target.id}`);
    expect(list.body.items.map((s) => s.id)).toEqual([first.body.id]);
  });

  it("asks which application when the sub matches none, and attaches it to the one given", async () => {
    const jwt = await new SignJWT({ iss: PEM_ISSUER, sub: "unregistered-app", iat: now() })
      .setProtectedHeader({ alg: "ES256" })
      .sign(pemKey);
    uploadedJwts.push(jwt);
    const before = await statementCount();
    const unmatched = await admin.post(`${ACME}/statements`, { software_statement: jwt });
    expectError(unmatched, 400, "validation_failed", /Choose the application.*unregistered-app/);
    expect(unmatched.body.error.details?.fields?.applicationId).toBeDefined();
    expect(await statementCount()).toBe(before);

    const chosen = await admin.post<Statement>(`${ACME}/statements`, {
      software_statement: jwt,
      applicationId: tvApp.id,
    });
    expect(chosen.status).toBe(201);
    expect(chosen.body).toMatchObject({
      applicationId: tvApp.id,
      issuer: PEM_ISSUER,
      origin: "uploaded",
      subject: "unregistered-app",
    });
    // Another organization's application cannot be chosen.
    const other = await admin.post(`${ACME}/statements`, {
      software_statement: await signed({ sub: "x" }),
      applicationId: globexApp.id,
    });
    expectError(other, 400, "validation_failed", /not found in this organization/);
  });

  it("refuses a statement this console signed for another organization, without naming it", async () => {
    const globexStatement = (await globexAdmin.get<Page<Statement>>("/orgs/globex/statements")).body
      .items[0]!;
    const before = await statementCount();
    const refused = await admin.post(`${ACME}/statements`, {
      software_statement: globexStatement.software_statement,
    });
    expectError(refused, 409, "statement_held_elsewhere");
    expect(refused.body.error.message).not.toMatch(/globex/i);
    expect(await statementCount()).toBe(before);
  });

  it.each(REJECTIONS)("rejects $code with 400 and stores nothing", async ({ code, make }) => {
    const jwt = await make();
    uploadedJwts.push(jwt);
    const before = await statementCount();
    const reply = await admin.post(`${ACME}/statements`, {
      software_statement: jwt,
      applicationId: tvApp.id,
    });
    expectError(reply, 400, code);
    expect(reply.body.error.message.length).toBeGreaterThan(20);
    expect(await statementCount()).toBe(before);
  });

  it("refuses a viewer (403)", async () => {
    const before = await statementCount();
    expectError(
      await viewer.post(`${ACME}/statements`, { software_statement: await signed({ sub: tvApp.id }) }),
      403,
      "forbidden",
    );
    expect(await statementCount()).toBe(before);
  });
});

describe("revoking statements", () => {
  let statement: Statement;
  beforeAll(async () => {
    const app = await newApp("Revoked app");
    statement = (await admin.post<Statement>(`${ACME}/applications/${app.id}/statements`, {})).body;
  });

  it("requires a reason (400) and refuses a viewer (403)", async () => {
    const noReason = await admin.post(`${ACME}/statements/${statement.id}/revoke`, {});
    expectError(noReason, 400, "validation_failed");
    expect(noReason.body.error.details?.fields?.reason?.[0]).toMatch(/Say why/);
    expectError(
      await viewer.post(`${ACME}/statements/${statement.id}/revoke`, { reason: "Viewer tries" }),
      403,
      "forbidden",
    );
    expect((await admin.get<Statement>(`${ACME}/statements/${statement.id}`)).body.status).toBe("active");
  });

  it("revokes with a reason (200), then answers 409 saying it is already revoked", async () => {
    const { status, body } = await admin.post<Statement>(`${ACME}/statements/${statement.id}/revoke`, {
      reason: "Build leaked",
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: statement.id,
      status: "revoked",
      revokedReason: "Build leaked",
      revokedByEmail: "admin@acme.test",
      revokedAt: expect.any(String),
    });
    const again = await admin.post(`${ACME}/statements/${statement.id}/revoke`, { reason: "Once more" });
    expectError(
      again,
      409,
      "conflict",
      /already revoked just now \(.* UTC\) by admin@acme\.test\. Revocation is permanent/,
    );
  });

  it("hides another organization's statement from a globex admin (404), who cannot revoke it", async () => {
    const other = (await admin.post<Statement>(`${ACME}/applications/${tvApp.id}/statements`, {})).body;
    expectError(await globexAdmin.get(`${ACME}/statements/${other.id}`), 404, "not_found");
    expectError(await globexAdmin.get(`/orgs/globex/statements/${other.id}`), 404, "not_found");
    expectError(
      await globexAdmin.post(`/orgs/globex/statements/${other.id}/revoke`, { reason: "Not mine" }),
      404,
      "not_found",
    );
    expectError(
      await globexAdmin.post(`${ACME}/statements/${other.id}/revoke`, { reason: "Not mine" }),
      404,
      "not_found",
    );
    expect((await admin.get<Statement>(`${ACME}/statements/${other.id}`)).body.status).toBe("active");
  });
});

describe("listing statements", () => {
  it("filters by status, by application and by fingerprint prefix", async () => {
    const revoked = await admin.get<Page<Statement>>(`${ACME}/statements?status=revoked`);
    expect(revoked.body.items.length).toBeGreaterThanOrEqual(2);
    expect(revoked.body.items.every((s) => s.status === "revoked")).toBe(true);
    expect(revoked.body.items.map((s) => s.applicationName)).toEqual(
      expect.arrayContaining(["Acme Play for Android TV", "Revoked app"]),
    );

    const forTv = await admin.get<Page<Statement>>(`${ACME}/statements?applicationId=${tvApp.id}`);
    expect(forTv.body.items.length).toBeGreaterThanOrEqual(2);
    expect(forTv.body.items.every((s) => s.applicationId === tvApp.id)).toBe(true);

    const wanted = forTv.body.items[0]!;
    const byPrefix = await admin.get<Page<Statement>>(
      `${ACME}/statements?q=${wanted.fingerprint.slice(0, 12)}`,
    );
    expect(byPrefix.body.items.map((s) => s.id)).toEqual([wanted.id]);
  });
});

// ── Audit trail ──────────────────────────────────────────────────────────────────────────────────────────

describe("audit trail", () => {
  it("records applications, issuers, uploads, rejected uploads with their reason, and revocations", async () => {
    const created = (await auditEvents("application.created")).map((e) => e.targetId);
    expect(created).toEqual(expect.arrayContaining(createdApps.map((a) => a.id)));
    expect((await auditEvents("issuer.added")).map((e) => JSON.parse(e.after!).iss)).toEqual(
      expect.arrayContaining([ISSUER, PEM_ISSUER]),
    );
    const uploaded = await auditEvents("statement.uploaded");
    expect(uploaded).toHaveLength(2);
    expect(uploaded[0]).toMatchObject({ actorEmail: "admin@acme.test" });

    const reasons = (await auditEvents("statement.upload_rejected")).map((e) => JSON.parse(e.after!).reason);
    expect(reasons).toEqual(expect.arrayContaining(REJECTIONS.map((r) => r.code)));

    const revoked = (await auditEvents("statement.revoked")).find(
      (e) => JSON.parse(e.after!).revokedReason === "Build leaked",
    )!;
    expect(JSON.parse(revoked.before!)).toMatchObject({ status: "active" });
    expect(JSON.parse(revoked.after!)).toMatchObject({ status: "revoked", revokedReason: "Build leaked" });
  });

  it("never stores the text of a statement", async () => {
    expect(uploadedJwts.length).toBeGreaterThan(5);
    // Every event's snapshots, searched here (a plain substring search, the same whatever the database).
    const snapshots = (
      await serverDb.all<{ before: string | null; after: string | null }>(
        `SELECT "before", "after" FROM "AuditEvent"`,
      )
    ).map((e) => `${e.after ?? ""} ${e.before ?? ""}`);
    const containing = (text: string) => snapshots.filter((s) => s.includes(text)).length;
    // The search does find what the trail keeps about a statement (its fingerprint), so finding no JWT means something.
    expect(containing(statementIdentity(uploadedJwts[0]!))).toBeGreaterThan(0);
    for (const jwt of uploadedJwts) {
      expect(containing(jwt), `audit rows containing ${jwt.slice(0, 40)}…`).toBe(0);
      // Nor any part of it: the claims or the signature alone would leak as much.
      for (const part of jwt.split(".").filter((p) => p.length >= 40)) expect(containing(part)).toBe(0);
    }
  });
});
