import { existsSync, readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { actionCall, rawActionCall, READ_ONLY_ACTIONS } from "@/test/fuzz/actions";
import { activityRead, adminRequest, findStoryRead } from "@/test/fuzz/admin";
import { authRequest } from "@/test/fuzz/auth";
import { pageRequest } from "@/test/fuzz/pages";
import {
  configurationRequest,
  introspectRequest,
  statementUrlRequest,
  wellKnownRequest,
} from "@/test/fuzz/reads";
import { registerRequest } from "@/test/fuzz/register";
import type { FuzzRequest, PlainRequest } from "@/test/fuzz/requests";
import { startFuzz, type Fuzz } from "@/test/fuzz/setup";
import { tokenRequest } from "@/test/fuzz/token";
import {
  actionAnswerProblem,
  activityAnswerProblem,
  adminAnswerProblem,
  browserAnswerProblem,
  auditedRejections,
  clientAnswerProblem,
  snapshot,
  storyAnswerProblem,
} from "@/test/fuzz/invariants";
import { caseRng, type Rng } from "@/test/fuzz/random";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * Hostile input against every public endpoint, every admin API mutation and every form's server action, over
 * real HTTP against the production build: FUZZ_COUNT inputs (default 10,000) made from FUZZ_SEED, sent 16 at a
 * time in batches. For each: no 5xx, no stack trace or server path in the body, a refusal in the documented
 * shape; per batch: no change to stored data but the audit events docs/client-api.md's refusals add.
 * Replay a failure with the seed it prints (`FUZZ_SEED=… npx vitest run test/fuzz/fuzz.test.ts`). What it found is
 * kept in test/fuzz/regressions.test.ts.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const COUNT = Number(process.env.FUZZ_COUNT ?? 10_000);
const CONCURRENCY = 16;
const BATCH = 1_000;
const baseUrl = inject("baseUrl");
const sql = await openServerSql();
afterAll(() => sql.close());

let fuzz: Fuzz;
beforeAll(async () => {
  fuzz = await startFuzz(baseUrl, inject("seedPassword"), sql, 64);
});

// ── One input ────────────────────────────────────────────────────────────────────────────────────────────

const bodyInit = (body: string | Buffer | undefined) => (Buffer.isBuffer(body) ? new Uint8Array(body) : body);

type Outcome = { label: string; problem: string | null; status: number };

function failed(label: string, error: unknown): Outcome {
  const cause = (error as Error & { cause?: Error }).cause;
  return {
    label,
    status: 0,
    problem: `the request failed: ${(error as Error).message}${cause ? ` (${cause.message})` : ""}`,
  };
}

/**
 * Node's HTTP parser refuses more than 16 KiB of headers (431, or a reset while the body is still sent). The
 * request line and headers counted here are ours; fetch adds its own, hence the margin.
 */
const HEADER_LIMIT = 15 * 1024;

/**
 * Sends a request of ours over a connection of its own (with `session`'s cookies, if given) and checks the answer
 * with `problemWith`.
 */
async function send(
  request: PlainRequest,
  problemWith: (status: number, headers: Headers, text: string) => string | null,
  session?: HttpSession,
): Promise<Outcome> {
  // The request line counts too (a long query string).
  const headerBytes = Object.entries(request.headers).reduce(
    (n, [k, v]) => n + k.length + v.length + 4,
    request.path.length,
  );
  try {
    const init: RequestInit = {
      method: request.method,
      headers: request.headers,
      body: bodyInit(request.body),
      redirect: "manual",
    };
    const res = await (session ? session.fetch(request.path, init) : fetch(baseUrl + request.path, init));
    const text = await res.text();
    if (headerBytes > HEADER_LIMIT && res.status === 431)
      return { label: request.label, status: 431, problem: null };
    return { label: request.label, status: res.status, problem: problemWith(res.status, res.headers, text) };
  } catch (error) {
    if (headerBytes > HEADER_LIMIT) return { label: request.label, status: 431, problem: null };
    return failed(request.label, error);
  }
}

function sendClient(request: FuzzRequest): Promise<Outcome> {
  const address = request.throttled && { "x-forwarded-for": fuzz.nextAddress() };
  return send({ ...request, headers: { ...request.headers, ...address } }, (status, headers, text) =>
    clientAnswerProblem(request, status, headers.get("content-type"), text),
  );
}

async function sendAdmin(rng: Rng): Promise<Outcome> {
  const request = adminRequest(rng, fuzz.adminCtx);
  const headers: Record<string, string> = {};
  if (request.contentType) headers["content-type"] = request.contentType;
  if (request.auth === "session") headers.origin = baseUrl;
  if (request.auth === "token") headers.authorization = `Bearer ${fuzz.personalAccessToken}`;
  if (request.auth === "foreign-origin") headers.origin = "https://evil.example";
  if (request.auth === "bearer-garbage") headers.authorization = `Bearer sc_pat_${rng.text(40)}`;
  if (request.auth === "basic") headers.authorization = "Basic YWRtaW46YWRtaW4=";
  const session =
    request.auth === "token" ? new HttpSession(baseUrl) : request.path === "/orgs" ? fuzz.rep : fuzz.admin;
  try {
    const res = await session.fetch(`/api/admin/v1${request.path}`, {
      method: "POST",
      headers,
      body: bodyInit(request.body),
    });
    const text = await res.text();
    return { label: request.label, status: res.status, problem: adminAnswerProblem(res.status, text) };
  } catch (error) {
    return failed(request.label, error);
  }
}

/** An admin API read with a random query, as a member's session or a personal access token, or neither. */
function sendAdminRead(rng: Rng): Promise<Outcome> {
  const story = rng.chance(0.3);
  const read = (story ? findStoryRead : activityRead)(rng, fuzz.adminCtx);
  const headers: Record<string, string> = {};
  if (read.accept) headers.accept = read.accept;
  if (read.auth === "token") headers.authorization = `Bearer ${fuzz.personalAccessToken}`;
  if (read.auth === "bearer-garbage") headers.authorization = `Bearer sc_pat_${rng.text(40)}`;
  return send(
    { label: read.label, method: "GET", path: `/api/admin/v1${read.path}`, headers },
    (status, answerHeaders, text) =>
      story
        ? storyAnswerProblem(status, text)
        : activityAnswerProblem(status, answerHeaders.get("content-type"), text),
    read.auth === "session" ? fuzz.admin : undefined,
  );
}

async function sendAction(rng: Rng): Promise<Outcome> {
  const call = actionCall(rng, fuzz.adminCtx);
  const label = `action/${call.action}/${call.label}`;
  const session = {
    admin: () => fuzz.admin,
    rep: () => fuzz.rep,
    "rep-copy": () => fuzz.rep.clone(),
    "forged-session": () => {
      const forged = new HttpSession(baseUrl);
      forged.setCookie("authjs.session-token", `forged-${rng.text(40)}`);
      return forged;
    },
  }[call.session]();
  try {
    const answer = await fuzz.callAction(session, call.action, call.args);
    return {
      label,
      status: answer.status,
      problem: actionAnswerProblem(answer, {
        origin: baseUrl,
        readOnly: READ_ONLY_ACTIONS.includes(call.action),
        redirects: call.redirects,
      }),
    };
  } catch (error) {
    return failed(label, error);
  }
}

/** A body React sends for no call: it must be a 400 (lib/server-action.ts), never Next's 500. */
async function sendRawAction(rng: Rng): Promise<Outcome> {
  const call = rawActionCall(rng);
  try {
    const answer = await fuzz.postAction(fuzz.admin, call.action, call.body, call.contentType);
    const problem = actionAnswerProblem(answer, {
      origin: baseUrl,
      readOnly: READ_ONLY_ACTIONS.includes(call.action),
    });
    return { label: call.label, status: answer.status, problem };
  } catch (error) {
    return failed(call.label, error);
  }
}

function sendAuth(rng: Rng): Promise<Outcome> {
  const request = authRequest(rng, fuzz.authCtx);
  // A fresh address every 8 requests: well under the sign-in limit of 30 failures per address.
  const headers = { ...request.headers, "x-forwarded-for": fuzz.nextAddress() };
  return send({ ...request, headers }, (status, answerHeaders, text) =>
    browserAnswerProblem(baseUrl, status, answerHeaders, text),
  );
}

async function sendPage(rng: Rng): Promise<Outcome> {
  const request = pageRequest(rng, fuzz.adminCtx);
  const session = (request.session === "rep" ? fuzz.rep : fuzz.admin).clone();
  for (const [name, value] of request.cookies) session.setCookie(name, value);
  try {
    const res = await session.fetch(request.path);
    const text = await res.text();
    return {
      label: request.label,
      status: res.status,
      problem: browserAnswerProblem(baseUrl, res.status, res.headers, text),
    };
  } catch (error) {
    return failed(request.label, error);
  }
}

type Kind = { name: string; send: (rng: Rng) => Promise<Outcome> };
const KINDS: [number, Kind][] = [
  [38, { name: "register", send: (rng) => sendClient(registerRequest(rng, fuzz.clientCtx)) }],
  [20, { name: "token", send: (rng) => sendClient(tokenRequest(rng, fuzz.clientCtx)) }],
  [12, { name: "configuration", send: (rng) => sendClient(configurationRequest(rng, fuzz.clientCtx)) }],
  [8, { name: "introspect", send: (rng) => sendClient(introspectRequest(rng, fuzz.clientCtx)) }],
  [4, { name: "well-known", send: (rng) => sendClient(wellKnownRequest(rng)) }],
  [3, { name: "statement-url", send: (rng) => sendClient(statementUrlRequest(rng)) }],
  [11, { name: "admin", send: sendAdmin }],
  [6, { name: "admin-read", send: sendAdminRead }],
  [7, { name: "action", send: sendAction }],
  [4, { name: "action-raw", send: sendRawAction }],
  [6, { name: "auth", send: sendAuth }],
  [3, { name: "page", send: sendPage }],
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
  const indices = Array.from({ length: to - from }, (_, i) => from + i).filter(
    (i) => !ONLY || ONLY.includes(i),
  );
  const outcomes: Outcome[] = [];
  await Promise.all(
    Array.from({ length: ONLY ? 1 : CONCURRENCY }, async () => {
      for (let index = indices.shift(); index !== undefined; index = indices.shift())
        outcomes.push(await runInput(index));
    }),
  );
  return outcomes;
}

const serverLog = inject("serverLog");
const serverLogSize = () => (existsSync(serverLog) ? statSync(serverLog).size : 0);
const serverLogSince = (offset: number) =>
  existsSync(serverLog) ? readFileSync(serverLog).subarray(offset).toString("utf8") : "";

// ── The run ──────────────────────────────────────────────────────────────────────────────────────────────

describe(`fuzz: ${COUNT} hostile inputs, seed ${SEED}`, () => {
  const batches = Array.from(
    { length: Math.ceil(COUNT / BATCH) },
    (_, i) => [i * BATCH, Math.min(COUNT, (i + 1) * BATCH)] as const,
  );
  const statuses = new Map<number, number>();

  it.each(batches)(
    "inputs %i to %i: no 5xx, no leak, documented shapes, nothing stored",
    async (from, to) => {
      console.log(`[fuzz] seed ${SEED}: inputs ${from}–${to - 1}`);
      const before = await snapshot(sql);
      const logFrom = serverLogSize();
      const outcomes = await runBatch(from, to);
      for (const { status } of outcomes) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const problems = outcomes.filter((o) => o.problem).map((o) => `${o.label} → ${o.problem}`);
      const after = await snapshot(sql);
      const changed = Object.keys(before)
        .filter((table) => before[table] !== after[table])
        .map((t) => `${t}: ${before[t]} → ${after[t]}`);
      if (problems.length || changed.length)
        console.log(`[fuzz] what the server printed meanwhile:\n${serverLogSince(logFrom).slice(0, 6_000)}`);
      expect(
        { problems: problems.slice(0, 20), changed },
        `seed ${SEED}: ${problems.length} problem(s)`,
      ).toEqual({ problems: [], changed: [] });
    },
    120_000,
  );

  it("refused every input, recording only the refusals docs/client-api.md audits", async () => {
    console.log(
      `[fuzz] seed ${SEED}: ${COUNT} inputs, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, ${await auditedRejections(sql)} audited refusals in all`,
    );
    console.log(
      `[fuzz] mean latency by kind (ms): ${[...timings].map(([k, t]) => `${k} ${t.n}×${Math.round(t.ms / t.n)}`).join(", ")}`,
    );
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(ONLY?.length ?? COUNT);
  });
});
