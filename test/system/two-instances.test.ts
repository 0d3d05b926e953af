import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { startInstance, type Instance } from "@/test/harness/instance";

/**
 * Two app instances on one database, as behind a load balancer: a client may register on one and get its
 * tokens from the other, so everything that decides — revocation, throttling, the audit chain, the signing
 * keys — must live in the database, not in a process. Instance A is the suite's server; B is started here on
 * the same database, the same data directory (so the same AUTH_SECRET) and the same PUBLIC_URL (issuer).
 */
const A = inject("baseUrl");
let b: Instance;
let B: string;
let admin: HttpSession;
let appId: string;

let addresses = 0;
const freshIp = () => `198.18.${Math.floor(addresses / 250)}.${(addresses++ % 250) + 1}`;

async function post(base: string, pathname: string, body: string, contentType: string, ip = freshIp()) {
  const res = await fetch(base + pathname, {
    method: "POST",
    headers: { "content-type": contentType, accept: "application/json", "x-forwarded-for": ip },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}
const register = (base: string, statement: string, ip?: string) =>
  post(base, "/o/client/register", JSON.stringify({ software_statement: statement }), "application/json", ip);
const token = (base: string, client: Record<string, string>, ip?: string) =>
  post(
    base,
    "/o/client/token",
    new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.client_id!,
      client_secret: client.client_secret!,
    }).toString(),
    "application/x-www-form-urlencoded",
    ip,
  );
const api = (base: string, accessToken: string) =>
  fetch(`${base}/api/v2/acme/configuration`, {
    headers: { authorization: `Bearer ${accessToken}`, "x-forwarded-for": freshIp() },
  });

async function newStatement(): Promise<{ id: string; software_statement: string }> {
  const res = await admin.fetch(`/api/admin/v1/orgs/acme/applications/${appId}/statements`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: admin.baseUrl },
    body: "{}",
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; software_statement: string };
}

beforeAll(async () => {
  b = await startInstance({
    DATA_DIR: inject("serverDataDir"),
    DATABASE_URL: inject("serverDbUrl"),
    PUBLIC_URL: A,
    TRUST_PROXY: "true",
  });
  B = b.baseUrl;
  admin = new HttpSession(A);
  expect((await admin.signIn("admin@acme.test", inject("seedPassword"))).status).toBe(302);
  const apps = (await (await admin.fetch("/api/admin/v1/orgs/acme/applications")).json()) as {
    items: { id: string }[];
  };
  appId = apps.items[0]!.id;
}, 240_000);
afterAll(async () => {
  await b?.stop();
});

describe("two instances on one database", () => {
  it("register on one, tokens from the other, accepted by both; one key set", async () => {
    const { software_statement } = await newStatement();
    const client = await register(A, software_statement);
    expect(client.status, JSON.stringify(client.body)).toBe(201);
    const fromB = await token(B, client.body);
    expect(fromB.status, JSON.stringify(fromB.body)).toBe(201);
    expect((await api(A, fromB.body.access_token!)).status).toBe(200);
    expect((await api(B, fromB.body.access_token!)).status).toBe(200);
    const [jwksA, jwksB] = await Promise.all(
      [A, B].map(async (base) => (await fetch(`${base}/.well-known/jwks.json`)).json()),
    );
    expect(jwksB).toEqual(jwksA);
  });

  it("a revocation on A refuses the very next token and API call on B", async () => {
    const statement = await newStatement();
    const client = (await register(B, statement.software_statement)).body;
    const before = (await token(B, client)).body.access_token!;
    expect((await api(B, before)).status).toBe(200);

    const revoked = await admin.fetch(`/api/admin/v1/orgs/acme/statements/${statement.id}/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: admin.baseUrl },
      body: JSON.stringify({ reason: "Two-instance test" }),
    });
    expect(revoked.status).toBe(200);

    const after = await token(B, client);
    expect(after.status).toBe(400);
    expect(after.body.error).toBe("invalid_client");
    expect((await api(B, before)).status).toBe(401);
    expect((await register(B, statement.software_statement)).body.error).toBe(
      "unapproved_software_statement",
    );
  });

  it("removing a trusted issuer on A refuses its statements' very next registration on A and B", async () => {
    const iss = `https://removed-issuer-${randomUUID()}.example.test`;
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
    const send = async (method: string, path: string, body?: unknown) =>
      admin.fetch(`/api/admin/v1/orgs/acme${path}`, {
        method,
        headers: { "content-type": "application/json", origin: admin.baseUrl },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const trusted = await send("POST", "/issuers", { iss, jwks: { keys: [jwk] } });
    expect(trusted.status).toBe(201);
    const issuer = (await trusted.json()) as { id: string };
    const jwt = await new SignJWT({ iss, sub: `tv-app-${randomUUID()}`, iat: Math.floor(Date.now() / 1000) })
      .setProtectedHeader({ alg: "ES256", kid: "k1", typ: "JWT" })
      .sign(privateKey);
    expect(
      (await send("POST", "/statements", { software_statement: jwt, applicationId: appId })).status,
    ).toBe(201);
    // Both instances verify it once and remember that for a minute.
    for (const base of [A, B, A, B]) expect((await register(base, jwt)).status).toBe(201);

    expect((await send("DELETE", `/issuers/${issuer.id}`)).status).toBe(204);
    for (const base of [B, A]) {
      const refused = await register(base, jwt);
      expect(refused.status, base).toBe(400);
      expect(refused.body.error).toBe("invalid_software_statement");
    }
  });

  it("throttles one address across both instances: one bucket, not one per process", async () => {
    const { software_statement } = await newStatement();
    const ip = freshIp();
    const statuses: number[] = [];
    // The burst is 10 (docs/client-api.md §4): alternate instances; the eleventh request is refused wherever it lands.
    for (let i = 0; i < 11; i++)
      statuses.push((await register(i % 2 ? B : A, software_statement, ip)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(statuses[10]).toBe(429);
  });

  it("keeps one unbroken audit chain while both instances register at once", async () => {
    const { software_statement } = await newStatement();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => register(i % 2 ? B : A, software_statement)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    const verify = await admin.fetch("/api/admin/v1/orgs/acme/audit/verify");
    const body = (await verify.json()) as { ok: boolean };
    expect(body.ok, JSON.stringify(body)).toBe(true);
  });
});
