import { generateKeyPairSync, randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { encodeReply } from "next/dist/compiled/react-server-dom-webpack/client.node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { actionCall, READ_ONLY_ACTIONS } from "@/test/fuzz/actions";
import { adminRequest, type AdminContext } from "@/test/fuzz/admin";
import {
  configurationRequest,
  introspectRequest,
  registerRequest,
  tokenRequest,
  wellKnownRequest,
  type ClientContext,
} from "@/test/fuzz/client-facing";
import {
  actionAnswerProblem,
  adminAnswerProblem,
  auditedRejections,
  clientAnswerProblem,
  snapshot,
} from "@/test/fuzz/invariants";
import { caseRng, type Rng } from "@/test/fuzz/random";
import { signed } from "@/test/fuzz/statements";
import type { FuzzRequest } from "@/test/fuzz/requests";
import { HttpSession } from "@/test/http";
import { openServerSql } from "@/test/sql";

/**
 * Hostile input against every public endpoint, every admin API mutation and every form's server action, over
 * real HTTP against the production build: FUZZ_COUNT inputs (default 10,000) made from FUZZ_SEED, sent 16 at a
 * time in batches. For each: no 5xx, no stack trace or server path in the body, a refusal in the documented
 * shape; per batch: no change to stored data but the audit events DCR-API.md's refusals add.
 * Replay a failure with the seed it prints (`FUZZ_SEED=… npx vitest run test/fuzz.test.ts`).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const CONCURRENCY = 16;
const BATCH = 1_000;
const baseUrl = inject("baseUrl");
const sql = await openServerSql();
afterAll(() => sql.close());

const admin = new HttpSession();
const rep = new HttpSession();
let clientCtx: ClientContext;
let adminCtx: AdminContext;

/** Each throttled request's X-Forwarded-For: a new address every 8 requests, under the burst of 10. */
let throttled = 0;
function nextAddress(): string {
  const n = Math.floor(throttled++ / 8);
  return `100.${64 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
}

async function post<T>(session: HttpSession, path: string, body: unknown): Promise<T> {
  const res = await session.fetch(`/api/admin/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBeLessThan(300);
  return (await res.json()) as T;
}

beforeAll(async () => {
  const password = inject("seedPassword");
  expect((await admin.signIn("admin@acme.test", password)).status).toBe(302);
  expect((await rep.signIn("rep@support.test", password)).status).toBe(302);
  rep.setCookie("current-org", "acme");
  const one = async (query: string) => (await sql.get<{ v: string }>(query))!.v;
  const applicationId = await one(`SELECT a."id" AS v FROM "Application" a JOIN "Organization" o ON o."id" = a."organizationId"
    WHERE o."slug" = 'acme' AND a."name" = 'Acme TV for tvOS'`);
  const viewerUserId = await one(`SELECT "id" AS v FROM "User" WHERE "email" = 'viewer@acme.test'`);
  const statement = await post<{ id: string; software_statement: string }>(admin, `/orgs/acme/applications/${applicationId}/statements`, {});

  const trusted = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const trustedIss = `https://fuzz-${randomUUID().slice(0, 8)}.example.test`;
  const trustedJwk = { ...trusted.publicKey.export({ format: "jwk" }), kid: "fuzz-key", alg: "RS256", use: "sig" };
  await post(admin, "/orgs/acme/issuers", { iss: trustedIss, jwks: { keys: [trustedJwk] } });

  const header = JSON.parse(Buffer.from(statement.software_statement.split(".")[0]!, "base64url").toString()) as { kid: string };
  const claims = JSON.parse(Buffer.from(statement.software_statement.split(".")[1]!, "base64url").toString()) as { iss: string };
  const jwks = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as { keys: Record<string, unknown>[] };
  const keys = {
    stored: statement.software_statement,
    serviceIss: claims.iss,
    serviceKid: header.kid,
    servicePublicJwk: jwks.keys.find((k) => k.kid === header.kid)!,
    trusted: { iss: trustedIss, kid: "fuzz-key", privateKey: trusted.privateKey },
    attacker: { privateKey: attacker.privateKey, publicJwk: attacker.publicKey.export({ format: "jwk" }) as Record<string, unknown> },
    applicationId,
  };

  const client = async (path: string, body: string, type: string) => {
    const res = await fetch(baseUrl + path, { method: "POST", body, headers: { "content-type": type, "x-forwarded-for": "100.63.0.1" } });
    expect(res.status, path).toBe(201);
    return (await res.json()) as Record<string, string>;
  };
  const registered = await client("/o/client/register", JSON.stringify({ software_statement: keys.stored }), "application/json");
  const form = new URLSearchParams({ grant_type: "client_credentials", client_id: registered.client_id!, client_secret: registered.client_secret! });
  const token = await client("/o/client/token", form.toString(), "application/x-www-form-urlencoded");

  clientCtx = { keys, client: { id: registered.client_id!, secret: registered.client_secret! }, accessToken: token.access_token!, org: "acme" };
  adminCtx = { keys, org: "acme", applicationId, statementId: statement.id, viewerUserId };

  // A read-write personal access token, for admin API calls the way scripts make them.
  const created = await callAction(admin, "createTokenAction", [{}, tokenForm("fuzz", "WRITE")]);
  personalAccessToken = /"secret":"(sc_pat_[^"]+)"/.exec(created.text)?.[1] ?? "";
  expect(personalAccessToken, created.text.slice(0, 300)).not.toBe("");
});

let personalAccessToken = "";
function tokenForm(name: string, access: string) {
  const form = new FormData();
  form.set("name", name);
  form.set("access", access);
  return form;
}

// ── Server actions, as the authorization matrix calls them ───────────────────────────────────────────────

type Manifest = { node: Record<string, { workers: Record<string, unknown>; exportedName: string }> };
const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as Manifest;
const ACTIONS = new Map(
  Object.entries(manifest.node).map(([id, entry]) => {
    const page = Object.keys(entry.workers).sort((a, b) => a.length - b.length)[0]!;
    const path = `/${page.replace(/^app\//, "").replace(/\/?page$/, "").split("/").filter((s) => !/^\(.*\)$/.test(s)).join("/")}`;
    return [entry.exportedName, { id, path }];
  }),
);

// ── One input ────────────────────────────────────────────────────────────────────────────────────────────

const bodyInit = (body: string | Buffer | undefined) => (Buffer.isBuffer(body) ? new Uint8Array(body) : body);

type Outcome = { label: string; problem: string | null; status: number };

function failed(label: string, error: unknown): Outcome {
  const cause = (error as Error & { cause?: Error }).cause;
  return { label, status: 0, problem: `the request failed: ${(error as Error).message}${cause ? ` (${cause.message})` : ""}` };
}

/**
 * Node's HTTP parser refuses more than 16 KiB of headers (431, or a reset while the body is still sent). The
 * request line and headers counted here are ours; fetch adds its own, hence the margin.
 */
const HEADER_LIMIT = 15 * 1024;

async function sendClient(request: FuzzRequest): Promise<Outcome> {
  const headers = { ...request.headers, ...(request.throttled && { "x-forwarded-for": nextAddress() }) };
  // The request line counts too (a long query string).
  const headerBytes = Object.entries(headers).reduce((n, [k, v]) => n + k.length + v.length + 4, request.path.length);
  try {
    const res = await fetch(baseUrl + request.path, { method: request.method, headers, body: bodyInit(request.body), redirect: "manual" });
    const text = await res.text();
    if (headerBytes > HEADER_LIMIT && res.status === 431) return { label: request.label, status: 431, problem: null };
    return { label: request.label, status: res.status, problem: clientAnswerProblem(request, res.status, res.headers.get("content-type"), text) };
  } catch (error) {
    if (headerBytes > HEADER_LIMIT) return { label: request.label, status: 431, problem: null };
    return failed(request.label, error);
  }
}

async function sendAdmin(rng: Rng): Promise<Outcome> {
  const request = adminRequest(rng, adminCtx);
  const headers: Record<string, string> = {};
  if (request.contentType) headers["content-type"] = request.contentType;
  if (request.auth === "session") headers.origin = baseUrl;
  if (request.auth === "token") headers.authorization = `Bearer ${personalAccessToken}`;
  if (request.auth === "foreign-origin") headers.origin = "https://evil.example";
  if (request.auth === "bearer-garbage") headers.authorization = `Bearer sc_pat_${rng.text(40)}`;
  if (request.auth === "basic") headers.authorization = "Basic YWRtaW46YWRtaW4=";
  const session = request.auth === "token" ? new HttpSession(baseUrl) : request.path === "/orgs" ? rep : admin;
  try {
    const res = await session.fetch(`/api/admin/v1${request.path}`, { method: "POST", headers, body: bodyInit(request.body) });
    const text = await res.text();
    return { label: request.label, status: res.status, problem: adminAnswerProblem(res.status, text) };
  } catch (error) {
    return failed(request.label, error);
  }
}

/** Calls a server action as React does (see app/api/admin/v1/authorization-matrix.test.ts). */
async function callAction(session: HttpSession, name: string, args: unknown[]) {
  const action = ACTIONS.get(name);
  if (!action) throw new Error(`${name} is not in the build's manifest`);
  const body = await encodeReply(args);
  const headers: Record<string, string> = { "next-action": action.id, origin: baseUrl, accept: "text/x-component" };
  if (typeof body === "string") headers["content-type"] = "text/plain;charset=UTF-8";
  const path = action.path.replace("[id]", name === "getSoftwareStatementAction" ? adminCtx.applicationId : adminCtx.statementId);
  const res = await session.fetch(path, { method: "POST", headers, body: body as BodyInit });
  return { status: res.status, redirect: res.headers.get("x-action-redirect") ?? res.headers.get("location"), text: await res.text() };
}

async function sendAction(rng: Rng): Promise<Outcome> {
  const call = actionCall(rng, adminCtx);
  const label = `action/${call.action}/${call.label}`;
  try {
    const { status, redirect, text } = await callAction(call.session === "rep" ? rep : admin, call.action, call.args);
    return { label, status, problem: actionAnswerProblem(status, redirect, text, READ_ONLY_ACTIONS.includes(call.action)) };
  } catch (error) {
    return failed(label, error);
  }
}

type Kind = { name: string; send: (rng: Rng) => Promise<Outcome> };
const KINDS: [number, Kind][] = [
  [38, { name: "register", send: (rng) => sendClient(registerRequest(rng, clientCtx)) }],
  [20, { name: "token", send: (rng) => sendClient(tokenRequest(rng, clientCtx)) }],
  [12, { name: "configuration", send: (rng) => sendClient(configurationRequest(rng, clientCtx)) }],
  [8, { name: "introspect", send: (rng) => sendClient(introspectRequest(rng, clientCtx)) }],
  [4, { name: "well-known", send: (rng) => sendClient(wellKnownRequest(rng)) }],
  [11, { name: "admin", send: sendAdmin }],
  [7, { name: "action", send: sendAction }],
];
const timings = new Map<string, { n: number; ms: number }>();

async function runInput(index: number): Promise<Outcome> {
  const rng = caseRng(SEED, index);
  const kind = rng.weighted(KINDS);
  const started = performance.now();
  try {
    const outcome = await kind.send(rng);
    return { ...outcome, label: `#${index} ${outcome.label}` };
  } catch (error) {
    return failed(`#${index} ${kind.name}`, error);
  } finally {
    const t = timings.get(kind.name) ?? { n: 0, ms: 0 };
    timings.set(kind.name, { n: t.n + 1, ms: t.ms + performance.now() - started });
  }
}

/** FUZZ_ONLY=12,345: replay just those inputs of the seed (one at a time). */
const ONLY = process.env.FUZZ_ONLY?.split(",").map(Number);

async function runBatch(from: number, to: number): Promise<Outcome[]> {
  const indices = Array.from({ length: to - from }, (_, i) => from + i).filter((i) => !ONLY || ONLY.includes(i));
  const outcomes: Outcome[] = [];
  await Promise.all(
    Array.from({ length: ONLY ? 1 : CONCURRENCY }, async () => {
      for (let index = indices.shift(); index !== undefined; index = indices.shift()) outcomes.push(await runInput(index));
    }),
  );
  return outcomes;
}

const serverLog = inject("serverLog");
const serverLogSize = () => (existsSync(serverLog) ? statSync(serverLog).size : 0);
const serverLogSince = (offset: number) => (existsSync(serverLog) ? readFileSync(serverLog).subarray(offset).toString("utf8") : "");

// ── What the fuzz found, kept as plain regression cases ──────────────────────────────────────────────────

describe("regressions found by the fuzz", () => {
  it("a body the hot path refuses unread (413) closes its connection: the next request on it is not reset", async () => {
    const failures: string[] = [];
    const registerWith = (body: string) =>
      fetch(`${baseUrl}/o/client/register`, { method: "POST", body, headers: { "content-type": "application/json", "x-forwarded-for": nextAddress() } })
        .then(async (res) => `${res.status} ${res.headers.get("connection")} ${(await res.text()).slice(0, 0)}`)
        .catch((error: Error & { cause?: Error }) => (failures.push(`${error.message} (${error.cause?.message})`), "failed"));
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const seen: string[] = [];
        for (let i = 0; i < 10; i++) seen.push(await registerWith("x".repeat(200_000)), await registerWith("{}"));
        return seen;
      }),
    );
    expect(failures).toEqual([]);
    expect(new Set(answers.flat().filter((a) => a.startsWith("413")))).toEqual(new Set(["413 close "]));
  });

  it("a path that is not valid percent-encoded UTF-8 is a 400 in the API's shape, not Next's bare 500", async () => {
    const configuration = await fetch(`${baseUrl}/api/v2/%ED%A0%80/configuration`, { headers: { "x-forwarded-for": nextAddress() } });
    expect(configuration.status).toBe(400);
    expect(await configuration.json()).toMatchObject({ action: "application-registration", status: 400, code: "invalid_request" });
    const adminApi = await admin.fetch("/api/admin/v1/orgs/acme/statements/%FF");
    expect([adminApi.status, await adminApi.json()]).toEqual([400, { error: { code: "validation_failed", message: expect.any(String) } }]);
  });

  it("a statement whose nbf is no date (1e308) is refused as invalid_software_statement, not a 500", async () => {
    const { trusted, applicationId } = clientCtx.keys;
    const jwt = signed(JSON.stringify({ alg: "RS256", kid: trusted.kid }), JSON.stringify({ iss: trusted.iss, sub: applicationId, nbf: 1e308 }), trusted.privateKey);
    const res = await fetch(`${baseUrl}/o/client/register`, {
      method: "POST",
      body: JSON.stringify({ software_statement: jwt }),
      headers: { "content-type": "application/json", "x-forwarded-for": nextAddress() },
    });
    expect([res.status, (await res.json()).error]).toEqual([400, "invalid_software_statement"]);
  });

  it("an admin API body of invalid UTF-8 is a 400, not read as U+FFFD (which made a 2-letter reason long enough)", async () => {
    const body = Buffer.concat([Buffer.from('{"reason":"a'), Buffer.from([0xff]), Buffer.from('b"}')]);
    const res = await admin.fetch(`/api/admin/v1/orgs/acme/statements/${adminCtx.statementId}/revoke`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl },
      body: new Uint8Array(body),
    });
    expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([400, "validation_failed"]);
    const row = await sql.get<{ status: string }>(`SELECT "status" FROM "SoftwareStatement" WHERE "id" = ?`, adminCtx.statementId);
    expect(row?.status).toBe("ACTIVE");
  });

  it.each([
    ["downloadStatementAction", ["\ud800"]],
    ["removeIssuerAction", ["x\udfff"]],
    ["revokeTokenAction", [{ id: "x" }]],
    ["revokeTokenAction", ["\ud800"]],
  ])("%s(%j) answers not_found, not a 500 (ids of any type and unpaired surrogates reach Prisma safely)", async (name, args) => {
    const { status, text } = await callAction(admin, name, args);
    expect(status, text).toBe(200);
    expect(text).toContain('"code":"not_found"');
  });
});

// ── The run ──────────────────────────────────────────────────────────────────────────────────────────────

describe(`fuzz: ${COUNT} hostile inputs, seed ${SEED}`, () => {
  const batches = Array.from({ length: Math.ceil(COUNT / BATCH) }, (_, i) => [i * BATCH, Math.min(COUNT, (i + 1) * BATCH)] as const);
  const statuses = new Map<number, number>();

  it.each(batches)("inputs %i to %i: no 5xx, no leak, documented shapes, nothing stored", async (from, to) => {
    console.log(`[fuzz] seed ${SEED}: inputs ${from}–${to - 1}`);
    const before = await snapshot(sql);
    const logFrom = serverLogSize();
    const outcomes = await runBatch(from, to);
    for (const { status } of outcomes) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const problems = outcomes.filter((o) => o.problem).map((o) => `${o.label} → ${o.problem}`);
    const after = await snapshot(sql);
    const changed = Object.keys(before).filter((table) => before[table] !== after[table]).map((t) => `${t}: ${before[t]} → ${after[t]}`);
    if (problems.length || changed.length) console.log(`[fuzz] what the server printed meanwhile:\n${serverLogSince(logFrom).slice(0, 6_000)}`);
    expect({ problems: problems.slice(0, 20), changed }, `seed ${SEED}: ${problems.length} problem(s)`).toEqual({ problems: [], changed: [] });
  }, 120_000);

  it("refused every input, recording only the refusals DCR-API.md audits", async () => {
    console.log(`[fuzz] seed ${SEED}: ${COUNT} inputs, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, ${await auditedRejections(sql)} audited refusals in all`);
    console.log(`[fuzz] mean latency by kind (ms): ${[...timings].map(([k, t]) => `${k} ${t.n}×${Math.round(t.ms / t.n)}`).join(", ")}`);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(ONLY?.length ?? COUNT);
  });
});
