import { randomUUID } from "node:crypto";
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
} from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * docs/client-api.md, section by section, over real HTTP against the production build. Every client-facing request
 * carries an X-Forwarded-For address of its own (the test server trusts it), so the throttle (burst of 10 per
 * address) never counts two tests as one client.
 */

// ── Helpers ──────────────────────────────────────────────────────────────────────────────────────────────

const baseUrl = inject("baseUrl");
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

let addresses = 0;
/** A documentation address (RFC 5737) not used before in this file. */
function freshIp(): string {
  const n = addresses++;
  if (n >= 508) throw new Error("This file ran out of test addresses.");
  return n < 254 ? `203.0.113.${n + 1}` : `198.51.100.${n - 253}`;
}

type Body = Record<string, unknown>;
type Reply = { status: number; headers: Headers; body: Body };
type HeaderMap = Record<string, string>;

/** Every client secret and access token the server handed out here: none may show up in the audit trail. */
const minted: string[] = [];

async function send(
  path: string,
  init: { method?: string; headers?: HeaderMap; body?: string; ip?: string } = {},
) {
  const headers = { "x-forwarded-for": init.ip ?? freshIp(), ...init.headers };
  const res = await fetch(baseUrl + path, { method: init.method ?? "POST", headers, body: init.body });
  const text = await res.text();
  const body = (/^\s*[{[]/.test(text) ? JSON.parse(text) : { unparsed: text.slice(0, 300) }) as Body;
  for (const key of ["client_secret", "access_token"])
    if (typeof body[key] === "string") minted.push(body[key]);
  return { status: res.status, headers: res.headers, body } satisfies Reply;
}

const JSON_TYPE = { "content-type": "application/json" };
const FORM_TYPE = { "content-type": "application/x-www-form-urlencoded" };

const register = (body: unknown, headers: HeaderMap = {}, path = "/o/client/register", ip?: string) =>
  send(path, {
    headers: { ...JSON_TYPE, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ip,
  });

const token = (
  params: HeaderMap | string,
  options: { query?: string; headers?: HeaderMap; path?: string } = {},
) =>
  send(`${options.path ?? "/o/client/token"}${options.query ? `?${options.query}` : ""}`, {
    headers: { ...FORM_TYPE, ...options.headers },
    body: typeof params === "string" ? params : new URLSearchParams(params).toString(),
  });

const api = (slug: string, accessToken?: string, headers: HeaderMap = {}) =>
  send(`/api/v2/${slug}/configuration`, {
    method: "GET",
    headers: { ...(accessToken !== undefined && { authorization: `Bearer ${accessToken}` }), ...headers },
  });

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

type Client = { client_id: string; client_secret: string };
const credentials = (c: Client) => ({ client_id: c.client_id, client_secret: c.client_secret });

async function created(reply: Promise<{ status: number; body: Body }>): Promise<Body> {
  const { status, body } = await reply;
  expect(status, JSON.stringify(body)).toBe(201);
  return body;
}
const newClient = async (statement: string) =>
  (await created(register({ software_statement: statement }))) as Client;
const newToken = async (client: Client) =>
  (await created(token({ grant_type: "client_credentials", ...credentials(client) }))).access_token as string;

const introspect = (accessToken: string, by: Client) =>
  send("/oauth2/introspect", {
    headers: { ...FORM_TYPE, authorization: basic(by.client_id, by.client_secret) },
    body: `token=${accessToken}`,
  });

function expectOAuthError(reply: Reply, status: number, error: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.body).toEqual({ error, error_description: expect.any(String) });
  expect(reply.headers.get("content-type")).toBe("application/json;charset=utf-8");
}

function expectEnhancedError(reply: Reply, code: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(401);
  expect(reply.headers.get("x-request-id")).toBeTruthy();
  expect(reply.body).toEqual({
    action: "application-registration",
    status: 401,
    code,
    message: expect.any(String),
    helpUrl: expect.any(String),
    trace: reply.headers.get("x-request-id"),
  });
}

const framing = (r: Reply) => ["content-type", "cache-control", "pragma"].map((name) => r.headers.get(name));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECRET = /^[A-Za-z0-9_-]{43,}$/;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64");
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Body;
const alterSignature = (jwt: string) => jwt.slice(0, -4) + (jwt.endsWith("AAAA") ? "BBBB" : "AAAA");
const get = <T>(sql: string, ...args: unknown[]) => serverDb.get<T>(sql, ...args);
type RegistrationRow = {
  deviceInfo: string | null;
  platform: string | null;
  deviceModel: string | null;
  /** The sum of its tally's shards (ClientTally). */
  tokenCount: number;
};
const registrationRow = async (clientId: string) =>
  (await get<RegistrationRow>(
    `SELECT r.*, (SELECT CAST(COALESCE(SUM(t."tokens"), 0) AS INTEGER) FROM "ClientTally" t WHERE t."registrationId" = r."id")
       AS "tokenCount" FROM "ClientRegistration" r WHERE r."clientId" = ?`,
    clientId,
  ))!;
const registrationsOf = async (statementId: string) =>
  (await get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM "ClientRegistration" WHERE "statementId" = ?`,
    statementId,
  ))!.n;

// Statements of the seeded "Acme TV for tvOS" application (domains tv.acme.test, acme.test), made here so that
// revoking one disturbs no other test; and an issuer acme trusts, whose statements this service never stored.
const admin = new HttpSession();
const ISSUER = `https://dcr-contract-${randomUUID().slice(0, 8)}.example.test`;
const KID = "dcr-contract-key";
type Statement = { id: string; software_statement: string };
let tvAppId: string, statementA: Statement, jwks: JSONWebKeySet, issuerKey: CryptoKey, strangerKey: CryptoKey;

async function adminPost<T = Body>(path: string, body: unknown): Promise<{ status: number; body: T }> {
  const init = { method: "POST", headers: { ...JSON_TYPE, origin: baseUrl }, body: JSON.stringify(body) };
  const res = await admin.fetch(`/api/admin/v1/orgs/acme${path}`, init);
  return { status: res.status, body: (await res.json()) as T };
}

async function newStatement(): Promise<Statement> {
  return (await created(adminPost(`/applications/${tvAppId}/statements`, {}))) as Statement;
}

const signed = (claims: Body, key: CryptoKey, header: Body = {}) =>
  new SignJWT({ iat: nowSeconds(), nbf: nowSeconds(), sub: tvAppId, ...claims })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", ...header })
    .sign(key);

beforeAll(async () => {
  expect((await admin.signIn("admin@acme.test", inject("seedPassword"))).status).toBe(302);
  tvAppId = (await get<{
    id: string;
  }>(`SELECT a."id" FROM "Application" a JOIN "Organization" o ON o."id" = a."organizationId"
    WHERE o."slug" = 'acme' AND a."name" = 'Acme TV for tvOS'`))!.id;
  statementA = await newStatement();
  const pair = await generateKeyPair("RS256", { extractable: true });
  issuerKey = pair.privateKey;
  strangerKey = (await generateKeyPair("RS256")).privateKey;
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: "RS256", use: "sig" };
  expect((await adminPost("/issuers", { iss: ISSUER, jwks: { keys: [publicJwk] } })).status).toBe(201);
  jwks = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
});

// ── §1 Register a client ─────────────────────────────────────────────────────────────────────────────────

describe("§1 POST /o/client/register", () => {
  const good = () => ({ software_statement: statementA.software_statement });

  it("answers 201 with the documented shape and headers, storing the X-Device-Info object", async () => {
    const device = {
      model: "Apple TV 4K",
      version: "3",
      osName: "tvOS",
      osVersion: "17.4",
      connectionType: "WiFi",
    };
    const redirect = "https://tv.acme.test/callback";
    const reply = await register({ ...good(), redirect_uri: redirect }, { "x-device-info": b64(device) });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toEqual({
      client_id: expect.stringMatching(UUID),
      client_secret: expect.stringMatching(SECRET),
      client_id_issued_at: expect.any(Number),
      redirect_uris: [redirect],
      grant_types: ["client_credentials"],
      scopes: ["api:client:v2"],
    });
    expect(Buffer.from(reply.body.client_secret as string, "base64url").length).toBeGreaterThanOrEqual(32);
    expect(Math.abs((reply.body.client_id_issued_at as number) - nowSeconds())).toBeLessThanOrEqual(10); // seconds
    expect(framing(reply)).toEqual(["application/json;charset=utf-8", "no-store", "no-cache"]);

    const row = await registrationRow(reply.body.client_id as string);
    expect({ ...row, deviceInfo: JSON.parse(row.deviceInfo!) }).toMatchObject({
      deviceInfo: device,
      platform: "tvOS",
      deviceModel: "Apple TV 4K",
      redirectUri: redirect,
    });
  });

  it("accepts a ;charset=utf-8 suffix, and makes a new client on every call", async () => {
    const before = await registrationsOf(statementA.id);
    const first = await register(good(), { "content-type": "application/json;charset=utf-8" });
    const second = await register(good(), { "content-type": "application/json; charset=UTF-8" });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.body.client_id).not.toBe(second.body.client_id);
    expect(first.body.client_secret).not.toBe(second.body.client_secret);
    expect(await registrationsOf(statementA.id)).toBe(before + 2);
  });

  it("infers the device from User-Agent when X-Device-Info is absent", async () => {
    const reply = await register(good(), { "user-agent": "Roku/DVP-12.0 (12.0.0.4182-88)" });
    expect(reply.status).toBe(201);
    const row = await registrationRow(reply.body.client_id as string);
    expect({ ...row, deviceInfo: JSON.parse(row.deviceInfo!) }).toMatchObject({
      deviceInfo: { osName: "Roku", inferred: true },
      platform: "Roku",
    });
  });

  const invalidRequests: [string, () => Promise<Reply>][] = [
    ["X-Device-Info that is not base64", () => register(good(), { "x-device-info": "%%% not base64 %%%" })],
    [
      "X-Device-Info of non-JSON",
      () => register(good(), { "x-device-info": Buffer.from("model=tv").toString("base64") }),
    ],
    ["X-Device-Info of a JSON array", () => register(good(), { "x-device-info": b64(["Apple TV"]) })],
    ["a text/plain body", () => register(good(), { "content-type": "text/plain" })],
    ["a form body", () => register(new URLSearchParams(good()).toString(), FORM_TYPE)],
    ["another charset", () => register(good(), { "content-type": "application/json; charset=latin1" })],
    ["malformed JSON", () => register('{"software_statement": ')],
    ["a JSON array", () => register([good()])],
    ["no software_statement", () => register({ redirect_uri: "https://tv.acme.test/" })],
    ["a non-string software_statement", () => register({ software_statement: 42 })],
    [
      "a duplicate key",
      () => register(`{"software_statement":"${good().software_statement}","software_statement":"x"}`),
    ],
    ["an unsupported parameter", () => register({ ...good(), client_name: "Sneaky" })],
    ["Accept: text/html", () => register(good(), { accept: "text/html" })],
  ];
  it.each(invalidRequests)("answers 400 invalid_request for %s, registering nothing", async (_, make) => {
    const before = await registrationsOf(statementA.id);
    expectOAuthError(await make(), 400, "invalid_request");
    expect(await registrationsOf(statementA.id)).toBe(before);
  });

  // PRODUCT BUG (lib/dcr/params.ts, assertNoDuplicateKeys): the duplicate check is a regex over the raw text, so a
  // key spelled with a JSON escape ("software\u005fstatement") slips through and JSON.parse keeps the last value:
  // this registers a client (201) instead of answering 400 invalid_request.
  it("answers 400 invalid_request for a duplicate key spelled with a \\u escape", async () => {
    const body = `{"software_statement":"not-this","software\\u005fstatement":"${good().software_statement}"}`;
    expectOAuthError(await register(body), 400, "invalid_request");
  });

  it("answers 413 with a JSON error for a body over 64 KiB", async () => {
    const reply = await register({ ...good(), redirect_uri: `https://tv.acme.test/${"x".repeat(70_000)}` });
    expect(reply.status).toBe(413);
    expect(reply.body).toEqual({ error: expect.any(String), error_description: expect.any(String) });
  });

  const outside = [
    "https://evil.example/cb",
    "https://tv.acme.test.evil.example/",
    "https://sub.tv.acme.test/",
    "not a uri",
  ];
  it.each(outside)(
    "answers 400 invalid_redirect_uri for %s, outside the application's domains",
    async (redirect) => {
      const before = await registrationsOf(statementA.id);
      expectOAuthError(await register({ ...good(), redirect_uri: redirect }), 400, "invalid_redirect_uri");
      expect(await registrationsOf(statementA.id)).toBe(before);
    },
  );

  const forged: [string, () => Promise<string>][] = [
    ["garbage", async () => "this-is-not.a-jwt"],
    [
      "alg none",
      async () => `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ iss: baseUrl, sub: tvAppId })}.`,
    ],
    [
      "this service's issuer and an unknown key",
      () => signed({ iss: baseUrl }, strangerKey, { kid: "stranger" }),
    ],
    [
      "this service's issuer and kid, a forged signature",
      () => signed({ iss: baseUrl }, strangerKey, { kid: jwks.keys[0]!.kid }),
    ],
    ["an unknown issuer", () => signed({ iss: "https://stranger.example.test" }, strangerKey)],
    [
      "a trusted issuer, expired",
      () => signed({ iss: ISSUER, exp: nowSeconds() - 3600 }, issuerKey, { kid: KID }),
    ],
    [
      "a trusted issuer, not yet valid",
      () => signed({ iss: ISSUER, nbf: nowSeconds() + 3600 }, issuerKey, { kid: KID }),
    ],
    [
      "a stored statement with an altered signature",
      async () => alterSignature(statementA.software_statement),
    ],
  ];
  it.each(forged)("answers 400 invalid_software_statement for %s", async (_, make) => {
    expectOAuthError(await register({ software_statement: await make() }), 400, "invalid_software_statement");
  });

  it("answers 400 unapproved_software_statement for a valid statement this service never stored", async () => {
    const unknown = await signed({ iss: ISSUER }, issuerKey, { kid: KID });
    expectOAuthError(await register({ software_statement: unknown }), 400, "unapproved_software_statement");
  });
});

// ── §2 Access tokens ─────────────────────────────────────────────────────────────────────────────────────

describe("§2 POST /o/client/token", () => {
  let client: Client;
  beforeAll(async () => void (client = await newClient(statementA.software_statement)));
  const grant = () => ({ grant_type: "client_credentials", ...credentials(client) });

  it("answers 201 with the documented shape, and an RS256 JWT with a kid that verifies against the JWKS", async () => {
    const reply = await token(grant());
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toEqual({
      id: expect.stringMatching(UUID),
      access_token: expect.any(String),
      created_at: expect.any(Number),
      expires_in: 21600,
      token_type: "bearer",
    });
    expect(Math.abs((reply.body.created_at as number) - Date.now())).toBeLessThan(10_000); // milliseconds
    expect(framing(reply)).toEqual(["application/json;charset=utf-8", "no-store", "no-cache"]);

    const { payload, protectedHeader } = await jwtVerify(
      reply.body.access_token as string,
      createLocalJWKSet(jwks),
      { issuer: baseUrl, algorithms: ["RS256"] },
    );
    expect(protectedHeader.alg).toBe("RS256");
    expect(jwks.keys.map((k) => k.kid)).toContain(protectedHeader.kid);
    expect(payload).toEqual({
      iss: baseUrl,
      sub: client.client_id,
      scopes: "api:client:v2",
      iat: expect.any(Number),
      nbf: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.any(String),
    });
    expect(payload.exp! - payload.iat!).toBe(21600);
    expect(Math.abs(payload.iat! - nowSeconds())).toBeLessThanOrEqual(10);
    expect(await get(`SELECT "jti" FROM "AccessToken" WHERE "id" = ?`, reply.body.id)).toEqual({
      jti: payload.jti,
    });
  });

  it("accepts the parameters in the query string, alone or beside the body", async () => {
    expect((await token("", { query: new URLSearchParams(grant()).toString() })).status).toBe(201);
    const { grant_type, ...creds } = grant();
    expect((await token({ grant_type }, { query: new URLSearchParams(creds).toString() })).status).toBe(201);
  });

  it("refreshes: calling again gives a new token, counted on the registration", async () => {
    const before = (await registrationRow(client.client_id)).tokenCount;
    const first = await token(grant());
    const second = await token(grant());
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.id).not.toBe(first.body.id);
    expect(claimsOf(second.body.access_token as string).jti).not.toBe(
      claimsOf(first.body.access_token as string).jti,
    );
    expect((await registrationRow(client.client_id)).tokenCount).toBe(before + 2);
  });

  const invalid: [string, () => Promise<Reply>][] = [
    [
      "a parameter twice in the body",
      () => token(`${new URLSearchParams(grant())}&client_id=${client.client_id}`),
    ],
    [
      "a parameter in the body and the query",
      () => token(grant(), { query: `client_id=${client.client_id}` }),
    ],
    ["no grant_type", () => token(credentials(client))],
    ["no client_id", () => token({ grant_type: "client_credentials", client_secret: client.client_secret })],
    ["no client_secret", () => token({ grant_type: "client_credentials", client_id: client.client_id })],
    ["an empty body", () => token("")],
    ["a JSON body", () => token(JSON.stringify(grant()), { headers: JSON_TYPE })],
    [
      "Basic and body credentials at once",
      () => token(grant(), { headers: { authorization: basic(client.client_id, client.client_secret) } }),
    ],
  ];
  it.each(invalid)("answers 400 invalid_request for %s", async (_, make) => {
    expectOAuthError(await make(), 400, "invalid_request");
  });

  // PRODUCT BUG (lib/dcr/params.ts, basicCredentials): an Authorization header that is not valid Basic answers
  // 401 with WWW-Authenticate on the Adobe face too, where docs/client-api.md §2 makes every error a 400.
  it("answers 400 for an Authorization header that is not valid Basic credentials", async () => {
    const reply = await token(
      { grant_type: "client_credentials" },
      { headers: { authorization: "Basic !!!" } },
    );
    expect(reply.status).toBe(400);
    expect(["invalid_request", "invalid_client"]).toContain(reply.body.error);
  });

  it("answers 400 unsupported_grant_type for grant_type=password", async () => {
    expectOAuthError(await token({ ...grant(), grant_type: "password" }), 400, "unsupported_grant_type");
  });

  it.each([
    ["a wrong secret", () => ({ client_id: client.client_id, client_secret: "A".repeat(43) })],
    ["an unknown client", () => ({ client_id: randomUUID(), client_secret: client.client_secret })],
    [
      "a client_id that is not a UUID",
      () => ({ client_id: "not-a-client", client_secret: client.client_secret }),
    ],
  ])("answers 400 invalid_client for %s", async (_, creds) => {
    expectOAuthError(await token({ grant_type: "client_credentials", ...creds() }), 400, "invalid_client");
  });
});

// ── §3 The protected resource ────────────────────────────────────────────────────────────────────────────

describe("§3 GET /api/v2/{serviceProvider}/configuration", () => {
  let client: Client, accessToken: string;
  beforeAll(
    async () =>
      void (accessToken = await newToken((client = await newClient(statementA.software_statement)))),
  );

  it("answers 200 with a JSON configuration for the token's own organization", async () => {
    const reply = await api("acme", accessToken);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body).toMatchObject({ serviceProvider: "acme", clientId: client.client_id });
  });

  it("answers 401 invalid_access_token_service_provider for another organization", async () => {
    expectEnhancedError(await api("globex", accessToken), "invalid_access_token_service_provider");
  });

  it("uses the request id as the trace: always one the server minted, never the client's", async () => {
    const reply = await api("acme", "garbage", { "x-request-id": "contract-trace-42" });
    expectEnhancedError(reply, "invalid_access_token_client_application");
    expect(reply.body.trace).not.toBe("contract-trace-42");
    expect(reply.body.trace).toMatch(/^[0-9a-f-]{36}$/);
  });

  const refused: [string, () => Promise<string | undefined>][] = [
    ["no token", async () => undefined],
    ["a garbage token", async () => "garbage.token.value"],
    [
      "an expired token (altered claims, so its signature no longer matches)",
      async () => {
        const [header, , signature] = accessToken.split(".");
        const claims = {
          ...claimsOf(accessToken),
          iat: nowSeconds() - 90_000,
          nbf: nowSeconds() - 90_000,
          exp: nowSeconds() - 60,
        };
        return `${header}.${b64url(claims)}.${signature}`;
      },
    ],
    [
      "a token with the same claims signed by an unknown key",
      () =>
        new SignJWT(claimsOf(accessToken))
          .setProtectedHeader({ alg: "RS256", kid: jwks.keys[0]!.kid, typ: "JWT" })
          .sign(strangerKey),
    ],
    [
      "a token with the same claims signed by an unknown key with its own kid",
      () =>
        new SignJWT(claimsOf(accessToken))
          .setProtectedHeader({ alg: "RS256", kid: "stranger", typ: "JWT" })
          .sign(strangerKey),
    ],
    [
      "a token with the same claims and alg none",
      async () => `${b64url({ alg: "none" })}.${accessToken.split(".")[1]}.`,
    ],
  ];
  it.each(refused)("answers 401 invalid_access_token_client_application for %s", async (_, make) => {
    expectEnhancedError(await api("acme", await make()), "invalid_access_token_client_application");
  });
});

// ── §4 Throttling ────────────────────────────────────────────────────────────────────────────────────────

describe("§4 throttling per client address", () => {
  const cheap = (ip: string) => register("x", { "content-type": "text/plain" }, "/o/client/register", ip);

  // The bucket refills at 1/s while a batch is in flight, so bounds depend on the batch's elapsed time: the
  // assertions hold on a slow, loaded machine as well as a fast one.
  const batch = async (count: number, call: () => Promise<Reply>) => {
    const started = Date.now();
    const replies = await Promise.all(Array.from({ length: count }, call));
    return { replies, refilled: Math.ceil((Date.now() - started) / 1000) };
  };

  it("lets a burst of 10 through, then answers 429 with Retry-After; waiting that long is enough", async () => {
    const ip = freshIp();
    const { replies, refilled } = await batch(20, () => cheap(ip));
    const passed = replies.filter((r) => r.status === 400).length;
    const limited = replies.filter((r) => r.status === 429);
    expect(passed).toBeGreaterThanOrEqual(10);
    expect(passed).toBeLessThanOrEqual(10 + refilled);
    expect(limited.length).toBe(20 - passed);
    expect(limited.length).toBeGreaterThan(0);
    const retryAfter = Number(limited[0]!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect((await cheap(freshIp())).status).toBe(400); // another address is unaffected

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 50));
    expect((await cheap(ip)).status).not.toBe(429);
  });

  it("counts /o/client/token and /api/v2 against the same address", async () => {
    const ip = freshIp();
    const tokens = await batch(20, () => send("/o/client/token", { ip, body: "" }));
    expect(tokens.replies.filter((r) => r.status === 400).length).toBeLessThanOrEqual(10 + tokens.refilled);
    const limited = tokens.replies.find((r) => r.status === 429);
    expect(limited?.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    const apiCalls = await batch(5, () => api("acme", "garbage", { "x-forwarded-for": ip }));
    expect(apiCalls.replies.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(
      5 - apiCalls.refilled - tokens.refilled,
    );
    expect(apiCalls.replies.some((r) => r.status === 429)).toBe(true);
  });
});

// ── §5 The standard face ─────────────────────────────────────────────────────────────────────────────────

describe("§5 the standard OAuth face", () => {
  let client: Client;

  it("publishes RFC 8414 metadata and a JWKS of public keys", async () => {
    const res = await fetch(`${baseUrl}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      issuer: baseUrl,
      registration_endpoint: `${baseUrl}/oauth2/register`,
      token_endpoint: `${baseUrl}/oauth2/token`,
      introspection_endpoint: `${baseUrl}/oauth2/introspect`,
      jwks_uri: `${baseUrl}/.well-known/jwks.json`,
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: expect.arrayContaining([
        "client_secret_basic",
        "client_secret_post",
      ]),
    });
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys)
      expect(Object.keys(key).sort()).toEqual(expect.arrayContaining(["e", "kid", "kty", "n"]));
    expect(jwks.keys.some((k) => "d" in k || "p" in k)).toBe(false); // public keys only
  });

  it("registers at /oauth2/register (201) with client_secret_expires_at 0 and token_endpoint_auth_method", async () => {
    const reply = await register(
      { software_statement: statementA.software_statement },
      {},
      "/oauth2/register",
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body).toMatchObject({
      client_id: expect.stringMatching(UUID),
      client_secret: expect.stringMatching(SECRET),
      client_secret_expires_at: 0,
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["client_credentials"],
    });
    client = reply.body as Client;
  });

  it("issues a Bearer token (200) to Basic and to body authentication", async () => {
    const byBasic = await token(
      { grant_type: "client_credentials" },
      { path: "/oauth2/token", headers: { authorization: basic(client.client_id, client.client_secret) } },
    );
    const byBody = await token(
      { grant_type: "client_credentials", ...credentials(client) },
      { path: "/oauth2/token" },
    );
    for (const reply of [byBasic, byBody]) {
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body).toMatchObject({
        access_token: expect.any(String),
        token_type: "Bearer",
        expires_in: 21600,
      });
      expect(reply.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("answers invalid_client with 401 and WWW-Authenticate when Basic was used", async () => {
    const reply = await token(
      { grant_type: "client_credentials" },
      { path: "/oauth2/token", headers: { authorization: basic(client.client_id, "wrong-secret") } },
    );
    expectOAuthError(reply, 401, "invalid_client");
    expect(reply.headers.get("www-authenticate")).toMatch(/^Basic /);
  });

  it("introspects: active with client_id, exp and scope; inactive for garbage; 401 without client authentication", async () => {
    const accessToken = await newToken(client);
    const active = await introspect(accessToken, client);
    expect(active.status).toBe(200);
    expect(active.body).toMatchObject({
      active: true,
      client_id: client.client_id,
      scope: "api:client:v2",
      exp: claimsOf(accessToken).exp,
    });
    expect(await introspect("garbage", client)).toMatchObject({ status: 200, body: { active: false } });
    const anonymous = await send("/oauth2/introspect", { headers: FORM_TYPE, body: `token=${accessToken}` });
    expectOAuthError(anonymous, 401, "invalid_client");
    expectOAuthError(
      await introspect(accessToken, { ...client, client_secret: "wrong" }),
      401,
      "invalid_client",
    );
  });
});

// ── Revocation, and what the audit trail kept ────────────────────────────────────────────────────────────

describe("revoking a statement", () => {
  let statement: Statement, client: Client, peer: Client, accessToken: string;
  beforeAll(async () => {
    statement = await newStatement();
    client = await newClient(statement.software_statement);
    accessToken = await newToken(client);
    peer = await newClient(statementA.software_statement); // another acme client, to introspect with
  });

  it("works until the revocation, and is refused from the very next call after it", async () => {
    expect((await api("acme", accessToken)).status).toBe(200);
    expect((await introspect(accessToken, peer)).body).toMatchObject({ active: true });

    const revoked = await adminPost(`/statements/${statement.id}/revoke`, { reason: "Contract test" });
    expect(revoked).toMatchObject({ status: 200, body: { status: "revoked" } });

    expectOAuthError(
      await register({ software_statement: statement.software_statement }),
      400,
      "unapproved_software_statement",
    );
    expectOAuthError(
      await token({ grant_type: "client_credentials", ...credentials(client) }),
      400,
      "invalid_client",
    );
    expectEnhancedError(await api("acme", accessToken), "invalid_access_token_client_application");
    expect(await introspect(accessToken, peer)).toMatchObject({ status: 200, body: { active: false } });
  });

  it("left client.registered, client.registration_rejected and token.rejected events, without secrets or tokens", async () => {
    const events = async (action: string) =>
      (
        await serverDb.all<{ targetId: string; after: string }>(
          `SELECT "targetId", "after" FROM "AuditEvent" WHERE "action" = ?`,
          action,
        )
      ).map((e): Body => ({ targetId: e.targetId, ...(JSON.parse(e.after) as Body) }));
    expect((await events("client.registered")).map((e) => e.targetId)).toContain(client.client_id);

    const rejected = await events("client.registration_rejected");
    expect(rejected).toContainEqual(
      expect.objectContaining({
        targetId: statement.id,
        error: "unapproved_software_statement",
        reason: "revoked",
      }),
    );
    expect(rejected.map((e) => e.error)).toEqual(
      expect.arrayContaining([
        "invalid_software_statement",
        "unapproved_software_statement",
        "invalid_redirect_uri",
      ]),
    );

    const tokenRejected = await events("token.rejected");
    expect(tokenRejected).toContainEqual({ targetId: client.client_id, reason: "statement_revoked" });
    expect(tokenRejected.map((e) => e.reason)).toEqual(
      expect.arrayContaining(["wrong_secret", "unknown_client"]),
    );

    expect(minted.length).toBeGreaterThan(10);
    // Every event's free-text columns, searched here (a plain substring search, the same whatever the database).
    type Texts = Record<"before" | "after" | "targetId" | "userAgent" | "requestId", string | null>;
    const texts = (
      await serverDb.all<Texts>(
        `SELECT "before", "after", "targetId", "userAgent", "requestId" FROM "AuditEvent"`,
      )
    ).map((e) => [e.before, e.after, e.targetId, e.userAgent, e.requestId].map((v) => v ?? "").join(" "));
    const leaks = (value: string) => texts.filter((t) => t.includes(value)).length;
    expect(leaks(client.client_id)).toBeGreaterThan(0); // the search does find what is there
    for (const value of minted) {
      // A secret whole; a token's claims and its signature, each alone (the header is public).
      for (const part of value.split(".").slice(-2)) {
        expect(leaks(part), `audit rows containing ${part.slice(0, 16)}…`).toBe(0);
      }
    }
  });
});
