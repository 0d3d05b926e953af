import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { COUNTERS, zeroCounts, type Counter } from "@/lib/activity/types";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * The activity rollups against a recount from the raw rows, after a random load through the real client
 * endpoints of the running app (several requests in flight at once, so batches and, on PostgreSQL, shards are
 * exercised): registrations, tokens and new devices from the registration and token rows, refusals from the
 * audit trail, throttled requests from the 429s this test was answered.
 */

const baseUrl = inject("baseUrl");
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

const admin = new HttpSession();
const json = { "content-type": "application/json" };
const form = { "content-type": "application/x-www-form-urlencoded" };

/** A small deterministic generator, so a failing load can be replayed (the seed is in the test's name). */
const SEED = Number(process.env.ROLLUP_SEED ?? Date.now() % 100_000);
let state = SEED;
const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;

async function adminPost(path: string, body: unknown) {
  const res = await admin.fetch(`/api/admin/v1/orgs/acme${path}`, {
    method: "POST",
    headers: { ...json, origin: baseUrl },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBeLessThan(300);
  return (await res.json()) as Record<string, unknown>;
}

/** Ten devices, each always with the same facts, address and user agent (addresses of RFC 5737's 192.0.2.0/24). */
const devices = Array.from({ length: 10 }, (_, i) => ({
  "x-forwarded-for": `192.0.2.${100 + i}`,
  "user-agent": `RollupTest/1.0 (device ${i})`,
  "x-device-info": Buffer.from(JSON.stringify({ model: `Box ${i % 4}`, osName: "tvOS" })).toString("base64"),
}));

/** `fingerprint` is its identity, the statement URL's ETag. */
type Statement = { id: string; jwt: string; fingerprint: string };
type Client = { clientId: string; secret: string; statementId: string };

const post = (path: string, headers: Record<string, string>, body: string) =>
  fetch(baseUrl + path, { method: "POST", headers, body });

let statements: Statement[] = [];
let applicationId: string;
let expiring: Statement;
const clients: Client[] = [];
let throttled = new Map<string, number>();

beforeAll(async () => {
  expect((await admin.signIn("admin@acme.test", inject("seedPassword"))).status).toBe(302);
  const app = await adminPost("/applications", {
    name: `Rollup test ${randomUUID().slice(0, 6)}`,
    platforms: ["tvOS"],
    domains: ["tv.example.test"],
  });
  const issue = async () => {
    const s = await adminPost(`/applications/${String(app.id)}/statements`, {});
    return { id: String(s.id), jwt: String(s.software_statement), fingerprint: String(s.fingerprint) };
  };
  statements = [await issue(), await issue(), await issue()];
  // Its statement URL on: the load fetches it too (every 200 and 304 counted under the statement it served).
  applicationId = String(app.id);
  await adminPost(`/applications/${applicationId}/statement-url`, { enabled: true });

  // A statement of a trusted issuer that leaves the verifier's 60 s clock tolerance in about three seconds:
  // presented afterwards, it is known but invalid.
  const iss = `https://rollups-${randomUUID().slice(0, 8)}.example.test`;
  const pair = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  await adminPost("/issuers", { iss, jwks: { keys: [jwk] } });
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ iss, sub: String(app.id), iat: now - 120, exp: now - 57 })
    .setProtectedHeader({ alg: "RS256", kid: "k1", typ: "JWT" })
    .sign(pair.privateKey);
  const uploaded = await adminPost("/statements", { applicationId: app.id, software_statement: jwt });
  expiring = { id: String(uploaded.id), jwt, fingerprint: String(uploaded.fingerprint) };
});

async function register(statement: Pick<Statement, "id" | "jwt">, device = pick(devices)) {
  const res = await post(
    "/o/client/register",
    { ...json, ...device },
    JSON.stringify({ software_statement: statement.jwt }),
  );
  const body = (await res.json()) as { client_id?: string; client_secret?: string };
  if (res.status === 429) throttled.set(statement.id, (throttled.get(statement.id) ?? 0) + 1);
  if (res.status === 201)
    clients.push({ clientId: body.client_id!, secret: body.client_secret!, statementId: statement.id });
  return res.status;
}

async function token(
  client: Client,
  secret = client.secret,
  ip = `198.51.100.${1 + Math.floor(random() * 200)}`,
) {
  const body = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: client.clientId,
    client_secret: secret,
  });
  const res = await post("/o/client/token", { ...form, "x-forwarded-for": ip }, body.toString());
  if (res.status === 429) throttled.set(client.statementId, (throttled.get(client.statementId) ?? 0) + 1);
  return res.status;
}

let fetched = new Map<string, number>();
/** A fetch of the application's statement URL, sometimes revalidating (a 304 is a fetch too). */
async function fetchStatement() {
  const etag = random() < 0.5 ? `"${pick(statements).fingerprint}"` : null;
  const res = await fetch(`${baseUrl}/o/client/statement/${applicationId}`, {
    headers: {
      "x-forwarded-for": `198.18.2.${1 + Math.floor(random() * 250)}`,
      ...(etag && { "if-none-match": etag }),
    },
  });
  const served = [...statements, expiring].find((s) => `"${s.fingerprint}"` === res.headers.get("etag"));
  if ((res.status === 200 || res.status === 304) && served)
    fetched.set(served.id, (fetched.get(served.id) ?? 0) + 1);
  if (res.status === 429) throw new Error("the statement URL was throttled: this test's addresses collide");
  await res.arrayBuffer();
  return res.status;
}

/** One random request; several run at once. */
async function step(revoked: Set<string>) {
  const r = random();
  if (r > 0.95) return fetchStatement();
  const live = statements.filter((s) => !revoked.has(s.id));
  if (r < 0.35 || clients.length === 0) return register(pick(r < 0.05 ? statements : live));
  if (r < 0.8) return token(pick(clients));
  if (r < 0.9) return token(pick(clients), "not-the-secret");
  return register(pick(statements));
}

async function load(steps: number, revoked: Set<string>) {
  for (let done = 0; done < steps; done += 8)
    await Promise.all(Array.from({ length: 8 }, () => step(revoked)));
}

type Recount = Record<string, Record<Counter, number>>;

/** The rollups of these statements, summed over hours and shards. */
async function rollups(ids: string[]): Promise<Recount> {
  const sums = COUNTERS.map((c) => `SUM("${c}") AS "${c}"`).join(", ");
  const rows = await serverDb.all<Record<string, unknown>>(
    `SELECT "statementId", ${sums} FROM "ActivityRollup" WHERE "statementId" IN (${ids.map(() => "?").join(", ")})
     GROUP BY "statementId"`,
    ...ids,
  );
  return Object.fromEntries(
    ids.map((id) => {
      const row = rows.find((r) => r.statementId === id);
      return [id, Object.fromEntries(COUNTERS.map((c) => [c, Number(row?.[c] ?? 0)]))];
    }),
  ) as Recount;
}

/** The same figures counted from the registration, token and audit rows (and the 429s seen here). */
async function recount(ids: string[]): Promise<Recount> {
  const out: Recount = Object.fromEntries(ids.map((id) => [id, zeroCounts()]));
  const each = `IN (${ids.map(() => "?").join(", ")})`;
  const registrations = await serverDb.all<{
    id: string;
    clientId: string;
    statementId: string;
    device: string;
  }>(
    `SELECT "id", "clientId", "statementId", "deviceInfo", "ip", "userAgent" FROM "ClientRegistration"
     WHERE "statementId" ${each}`,
    ...ids,
  );
  const devicesSeen = new Set<string>();
  for (const r of registrations as unknown as Record<string, string>[]) {
    out[r.statementId!]!.registrations++;
    const device = JSON.stringify([r.statementId, r.deviceInfo, r.ip, r.userAgent]);
    if (!devicesSeen.has(device)) out[r.statementId!]!.newDevices++;
    devicesSeen.add(device);
  }
  const tokens = await serverDb.all<{ statementId: string; n: number }>(
    `SELECT r."statementId", COUNT(*) AS n FROM "AccessToken" t JOIN "ClientRegistration" r ON r."id" = t."registrationId"
     WHERE r."statementId" ${each} GROUP BY r."statementId"`,
    ...ids,
  );
  for (const t of tokens) out[t.statementId]!.tokens = Number(t.n);
  const statementOfClient = new Map(registrations.map((r) => [r.clientId, r.statementId]));
  const refusals = await serverDb.all<{ action: string; targetId: string; after: string }>(
    `SELECT "action", "targetId", "after" FROM "AuditEvent" WHERE "action" IN (?, ?) AND "organizationId" IS NOT NULL`,
    "client.registration_rejected",
    "token.rejected",
  );
  for (const event of refusals) {
    const reason = (JSON.parse(event.after) as { reason: string }).reason;
    if (event.action === "token.rejected") {
      const counts = out[statementOfClient.get(event.targetId) ?? ""];
      if (counts && reason === "wrong_secret") counts.badSecret++;
      if (counts && reason === "statement_revoked") counts.revokedAtToken++;
    } else {
      const counts = out[event.targetId];
      if (counts && reason === "revoked") counts.revokedAtRegister++;
      if (counts && reason === "expired") counts.invalidStatement++;
    }
  }
  for (const [id, n] of throttled) if (out[id]) out[id].throttled = n;
  for (const [id, n] of fetched) if (out[id]) out[id].statementFetches = n;
  return out;
}

describe(`activity rollups (load seed ${SEED})`, () => {
  it("equal a recount from the raw rows after a random load, a revocation and a throttled burst", async () => {
    const revoked = new Set<string>();
    throttled = new Map();
    fetched = new Map();
    await load(120, revoked);

    // Revoke one statement mid-load: its devices keep trying, and are refused. Each kind of event also happens
    // at least once from addresses of its own (never throttled), whatever the random load drew.
    const victim = statements[1]!;
    const own = (n: number) => ({ ...devices[0]!, "x-forwarded-for": `192.0.2.${240 + n}` });
    expect(await register(victim, own(0))).toBe(201);
    const victimClient = clients.at(-1)!;
    await adminPost(`/statements/${victim.id}/revoke`, { reason: "Leaked build (rollup test)" });
    revoked.add(victim.id);
    await load(120, revoked);
    expect(await register(victim, own(1))).toBe(400);
    expect(await token(victimClient, victimClient.secret, own(2)["x-forwarded-for"])).toBe(400);
    const live = clients.find((c) => c.statementId !== victim.id)!;
    expect(await token(live, live.secret, own(3)["x-forwarded-for"])).toBe(201);
    expect(await token(live, "not-the-secret", own(4)["x-forwarded-for"])).toBe(400);
    expect([200, 304]).toContain(await fetchStatement());

    // One address asks for far more than its burst: the 429s are counted under the client's statement.
    const greedy = clients.find((c) => c.statementId === statements[0]!.id) ?? clients[0]!;
    const statuses = await Promise.all(
      Array.from({ length: 16 }, () => token(greedy, greedy.secret, "192.0.2.250")),
    );
    expect(statuses).toContain(429);

    // The expired upload: registering with it is refused as an invalid statement.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(await register(expiring)).toBe(400);

    const ids = [...statements.map((s) => s.id), expiring.id];
    const [kept, counted] = await Promise.all([rollups(ids), recount(ids)]);
    expect(kept).toEqual(counted);
    // The load did produce every kind of event this test is about (else it proves little).
    const total = (c: Counter) => Object.values(counted).reduce((n, x) => n + x[c], 0);
    for (const c of COUNTERS) expect(total(c), c).toBeGreaterThan(0);
    expect(total("registrations")).toBeGreaterThan(total("newDevices"));
  });
});

describe("re-registration", () => {
  it("flags a statement whose devices register again instead of refreshing, on its page and the Overview", async () => {
    const app = await adminPost("/applications", {
      name: `Re-registering app ${randomUUID().slice(0, 6)}`,
      platforms: ["tvOS"],
      domains: ["tv.example.test"],
    });
    const made = await adminPost(`/applications/${String(app.id)}/statements`, {});
    const statement = { id: String(made.id), jwt: String(made.software_statement) };
    // The page's text without React's separators between adjacent text pieces.
    const page = async (path: string) => (await (await admin.fetch(path)).text()).replace(/<!-- -->/g, "");
    const warning = "Devices register again instead of refreshing their token";

    // Two devices, ten registrations each and no token in between: 18 of 20 are repeats.
    const loopers = [devices[0]!, devices[1]!].map((d, i) => ({
      ...d,
      "x-forwarded-for": `192.0.2.${200 + i}`,
    }));
    for (const device of loopers) {
      const statuses = await Promise.all(Array.from({ length: 10 }, () => register(statement, device)));
      expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    }
    const statementPage = await page(`/statements/${statement.id}`);
    expect(statementPage).toContain(warning);
    expect(statementPage).toMatch(/18 of this statement(&#x27;|')s 20 registrations \(90 %\)/);
    expect(statementPage).toContain("20 registrations from 2 devices, 10.0 per device.");
    expect(await page(`/applications/${String(app.id)}`)).toContain(warning);
    const overview = await page("/");
    expect(overview).toContain(`/statements/${statement.id}`);
    expect(overview).toContain("again instead of refreshing their token");

    // A statement without registrations is not flagged: its page only gives the figures.
    const calm = await page(`/statements/${expiring.id}`);
    expect(calm).not.toContain(warning);
    expect(calm).toContain("Re-registration, last 7 days");
  });
});
