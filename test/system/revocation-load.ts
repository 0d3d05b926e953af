/**
 * Revocation under load: many clients of one statement keep asking for tokens and calling the protected API
 * with tokens they got earlier, while an admin revokes the statement. Every request's send and response times
 * are recorded; a request *sent* after the revocation's response arrived (so after its transaction committed)
 * must be refused — all of them, not a sample. Shared by `npm run test:load` and its reduced CI form
 * (test/system/revocation-load.test.ts), which runs against the suite's server with the throttle on.
 */
import { performance } from "node:perf_hooks";
import type { AdminSession } from "../harness/admin-session";

export type LoadOptions = {
  baseUrl: string;
  admin: AdminSession;
  org: string;
  clients: number;
  workers: number;
  /** Revoke once this much time has passed and this many requests have completed. */
  beforeMs: number;
  beforeRequests: number;
  /** Stop once this much time has passed since the revocation and this many requests sent after it completed. */
  afterMs: number;
  afterRequests: number;
  /** Give up (and fail) after this long in total. */
  capMs: number;
  /** An X-Forwarded-For address per request, for a server that trusts it and throttles by it. */
  forwardedFor?: () => string;
};

type Kind = "token" | "api";
/** One request: times in ms on one clock (performance.now), status 0 when no response came back. */
export type RequestRecord = { kind: Kind; sent: number; received: number; status: number; error: string };

export type LoadReport = {
  records: RequestRecord[];
  revokeSent: number;
  revokeReceived: number;
  revokeStatus: number;
  /** Requests sent after the revocation's response that still got a token or an API answer. */
  violations: RequestRecord[];
  /** Anything that is neither a success nor the documented refusal (5xx, throttled, no response). */
  unexpected: RequestRecord[];
  /** Grants to requests sent before the revocation; refusals of requests sent after its response. */
  grantedBefore: number;
  refusedAfter: number;
  sentAfter: number;
  figures: [string, string | number][];
};

type Client = { client_id: string; client_secret: string; access_token: string };

const succeeded = (r: RequestRecord) => (r.kind === "token" ? r.status === 201 : r.status === 200);
/** The documented answers for a revoked statement's client (docs/client-api.md §2, §3). */
const refusedForRevocation = (r: RequestRecord) =>
  r.kind === "token"
    ? r.status === 400 && r.error === "invalid_client"
    : r.status === 401 && r.error === "invalid_access_token_client_application";

export async function runRevocationLoad(o: LoadOptions): Promise<LoadReport> {
  const ip = (): Record<string, string> => (o.forwardedFor ? { "x-forwarded-for": o.forwardedFor() } : {});
  const statement = await o.admin.newStatement(o.org);

  const clients: Client[] = [];
  await inParallel(o.clients, 16, async () => {
    const reg = await postJson(
      `${o.baseUrl}/o/client/register`,
      { software_statement: statement.software_statement },
      ip(),
    );
    const client = reg.body as { client_id: string; client_secret: string };
    if (reg.status !== 201) throw new Error(`Registration failed: ${reg.status} ${JSON.stringify(reg.body)}`);
    const tok = await postForm(`${o.baseUrl}/o/client/token`, tokenParams(client), ip());
    if (tok.status !== 201)
      throw new Error(`Token request failed: ${tok.status} ${JSON.stringify(tok.body)}`);
    clients.push({ ...client, access_token: String(tok.body.access_token) });
  });

  const records: RequestRecord[] = [];
  const started = performance.now();
  let revokeSent = Infinity;
  let revokeReceived = Infinity;
  let revokeStatus = 0;
  let stopping = false;

  const worker = async (w: number) => {
    for (let i = w; !stopping; i++) {
      const client = clients[Math.floor(Math.random() * clients.length)]!;
      const kind: Kind = i % 2 === 0 ? "token" : "api";
      const sent = performance.now();
      let status = 0;
      let error = "";
      try {
        const res =
          kind === "token"
            ? await postForm(`${o.baseUrl}/o/client/token`, tokenParams(client), ip())
            : await getJson(`${o.baseUrl}/api/v2/${o.org}/configuration`, {
                authorization: `Bearer ${client.access_token}`,
                ...ip(),
              });
        status = res.status;
        error = String(res.body.error ?? res.body.code ?? "");
      } catch (e) {
        error = String((e as Error).cause ?? e);
      }
      records.push({ kind, sent, received: performance.now(), status, error });
    }
  };

  const revoker = async () => {
    while (performance.now() - started < o.beforeMs || records.length < o.beforeRequests) {
      if (performance.now() - started > o.capMs)
        throw new Error("The load never reached the revocation point.");
      await sleep(20);
    }
    revokeSent = performance.now();
    const res = await o.admin.revokeStatement(o.org, statement.id, "Revocation under load");
    revokeReceived = performance.now();
    revokeStatus = res.status;
    await res.text();
    if (res.status !== 200) {
      stopping = true;
      throw new Error(`The revocation failed: ${res.status}`);
    }
    const afterCount = () => records.filter((r) => r.sent > revokeReceived).length;
    while (performance.now() - revokeReceived < o.afterMs || afterCount() < o.afterRequests) {
      if (performance.now() - started > o.capMs) break;
      await sleep(20);
    }
    stopping = true;
  };

  await Promise.all([revoker(), ...Array.from({ length: o.workers }, (_, w) => worker(w))]);
  return analyse(records, revokeSent, revokeReceived, revokeStatus, o);
}

function analyse(
  records: RequestRecord[],
  revokeSent: number,
  revokeReceived: number,
  revokeStatus: number,
  o: LoadOptions,
): LoadReport {
  const before = records.filter((r) => r.sent < revokeSent);
  const during = records.filter((r) => r.sent >= revokeSent && r.sent <= revokeReceived);
  const after = records.filter((r) => r.sent > revokeReceived);
  const violations = after.filter(succeeded);
  // A request sent just before the revocation may be served after its commit: refused, and rightly so.
  const unexpected = records.filter(
    (r) => !succeeded(r) && !(r.received >= revokeSent && refusedForRevocation(r)),
  );
  const count = (rs: RequestRecord[], kind: Kind, test: (r: RequestRecord) => boolean) =>
    rs.filter((r) => r.kind === kind && test(r)).length;
  const span = Math.max(...records.map((r) => r.received)) - Math.min(...records.map((r) => r.sent));
  const latencies = records.map((r) => r.received - r.sent).sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  const lastSuccess = Math.max(...records.filter(succeeded).map((r) => r.received));
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  const figures: [string, string | number][] = [
    ["clients (one statement) / concurrent workers", `${o.clients} / ${o.workers}`],
    [
      "requests (all recorded)",
      `${records.length} in ${(span / 1000).toFixed(1)} s (${((records.length / span) * 1000).toFixed(0)}/s)`,
    ],
    ["request latency p50 / p99", `${ms(pct(50))} / ${ms(pct(99))}`],
    ["revocation latency under load", `${ms(revokeReceived - revokeSent)} (status ${revokeStatus})`],
    [
      "sent before: tokens 201 / API 200",
      `${count(before, "token", succeeded)} / ${count(before, "api", succeeded)} (of ${before.length})`,
    ],
    [
      "sent during the revocation: granted / refused",
      `${during.filter(succeeded).length} / ${during.filter(refusedForRevocation).length} (either is correct)`,
    ],
    [
      "sent after: tokens refused / API refused",
      `${count(after, "token", refusedForRevocation)} / ${count(after, "api", refusedForRevocation)} (of ${after.length})`,
    ],
    ["sent after and still granted (violations)", violations.length],
    ["last grant received, relative to revocation response", ms(lastSuccess - revokeReceived)],
    ["unexpected answers (5xx, 429, no response)", unexpected.length],
  ];
  return {
    records,
    revokeSent,
    revokeReceived,
    revokeStatus,
    violations,
    unexpected,
    figures,
    grantedBefore: before.filter(succeeded).length,
    refusedAfter: after.filter(refusedForRevocation).length,
    sentAfter: after.length,
  };
}

export function printFigures(title: string, figures: [string, string | number][]) {
  console.log(`\n${title}`);
  for (const [label, value] of figures) console.log(`  ${label.padEnd(52)} ${value}`);
}

// ── HTTP, as a device would send it ──────────────────────────────────────────────────────────────────────

type Reply = { status: number; body: Record<string, unknown> };

const tokenParams = (c: { client_id: string; client_secret: string }) => ({
  grant_type: "client_credentials",
  client_id: c.client_id,
  client_secret: c.client_secret,
});

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { unparsed: text.slice(0, 200) };
  }
  return { status: res.status, body };
}

export const postJson = async (url: string, body: unknown, headers: Record<string, string> = {}) =>
  reply(
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
export const postForm = async (
  url: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  reply(
    await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams(params).toString(),
    }),
  );
const getJson = async (url: string, headers: Record<string, string>) => reply(await fetch(url, { headers }));

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `task` `count` times with at most `limit` at once. */
export async function inParallel(count: number, limit: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}
