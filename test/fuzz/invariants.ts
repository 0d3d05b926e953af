import { createHash } from "node:crypto";
import { EXPIRED_COOKIE } from "@/test/harness/http";
import type { Sql } from "@/test/harness/server-sql";
import type { FuzzRequest } from "./requests";

/**
 * What must hold for every fuzz input: no 5xx, nothing of a stack trace or the server's files in the body,
 * the documented error shape for a refusal, and no change to stored data (checked per batch).
 */
const LEAKS: [RegExp, string][] = [
  [/\n\s+at \S/, "a stack frame"],
  [/\bat [\w$.<>]+ \((?:file:|node:|\/)/, "a stack frame"],
  [/\.(?:ts|tsx|js|mjs):\d+/, "a source location"],
  [/node_modules/, "node_modules"],
  [/webpack-internal|\/\.next\//, "a build path"],
  [/(?:^|[^\w])\/(?:work|home|tmp|usr\/lib|root)\//, "a server path"],
  [/\b(?:TypeError|RangeError|SyntaxError|ReferenceError|PrismaClient\w*Error|Error): /, "an error's text"],
  [/prisma\.\w+\.\w+\(|Invalid `prisma/, "a Prisma query"],
];

export function leakIn(text: string): string | null {
  for (const [pattern, what] of LEAKS)
    if (pattern.test(text)) return `${what} (${pattern.exec(text)![0].slice(0, 60)})`;
  return null;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const keysAre = (v: Record<string, unknown>, keys: string[]) =>
  Object.keys(v).sort().join() === [...keys].sort().join();

/** The problem with an answer to a client-facing request, or null when it is as docs/client-api.md documents. */
export function clientAnswerProblem(
  request: FuzzRequest,
  status: number,
  contentType: string | null,
  text: string,
): string | null {
  if (status >= 500) return `status ${status}`;
  const leak = leakIn(text);
  if (leak) return `leaks ${leak}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `status ${status} with a body that is not JSON`;
  }
  if (!isObject(body)) return "a body that is not a JSON object";
  const ok = status >= 200 && status < 300;
  if (ok && request.mustReject) return `accepted (${status}) a defective input`;
  const oauthError = () =>
    keysAre(body, ["error", "error_description"]) &&
    typeof body.error === "string" &&
    typeof body.error_description === "string"
      ? contentType === "application/json;charset=utf-8"
        ? null
        : `content-type ${contentType}`
      : "not { error, error_description }";
  switch (request.shape) {
    case "oauth":
      return ok ? null : oauthError();
    case "introspection":
      if (status === 200) return typeof body.active === "boolean" ? null : "200 without active";
      return oauthError();
    case "enhanced":
      if (status === 200)
        return typeof body.serviceProvider === "string" ? null : "200 without serviceProvider";
      if (status !== 400 && status !== 401 && status !== 429) return `status ${status}`;
      return keysAre(body, ["action", "status", "code", "message", "helpUrl", "trace"]) &&
        body.status === status
        ? null
        : "not the enhanced error shape";
    case "discovery":
      return status === 200 ? null : `status ${status}`;
    default:
      return `unexpected shape ${request.shape}`;
  }
}

/** The problem with an admin API answer to a defective mutation, or null. */
export function adminAnswerProblem(status: number, text: string): string | null {
  if (status >= 500) return `status ${status}`;
  const leak = leakIn(text);
  if (leak) return `leaks ${leak}`;
  if (status < 400) return `accepted (${status}) a defective input`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `status ${status} with a body that is not JSON`;
  }
  if (!isObject(body) || !isObject(body.error)) return "not { error: { code, message } }";
  const { code, message } = body.error;
  return typeof code === "string" && typeof message === "string" ? null : "error without a code and message";
}

/**
 * The problem with an answer to a read of the activity API (any query, valid or not), or null: never a 5xx; a
 * 200 is a series as JSON or its CSV (lib/activity/csv.ts); any other answer is a refusal in the admin shape.
 */
export function activityAnswerProblem(
  status: number,
  contentType: string | null,
  text: string,
): string | null {
  if (status !== 200) return status >= 400 ? adminAnswerProblem(status, text) : `status ${status}`;
  const leak = leakIn(text);
  if (leak) return `leaks ${leak}`;
  if (contentType === "text/csv; charset=utf-8")
    return text.startsWith("start,registrations,") ? null : "CSV without its header";
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `200 with ${contentType} that is not JSON`;
  }
  return isObject(body) && typeof body.bucket === "string" && Array.isArray(body.points)
    ? null
    : "200 that is not { bucket, from, to, points }";
}

/** The problem with a story's answer (GET /find/{kind}/{id}): a JSON story, or a documented error. */
export function storyAnswerProblem(status: number, text: string): string | null {
  if (status !== 200) return status >= 400 ? adminAnswerProblem(status, text) : `status ${status}`;
  const leak = leakIn(text);
  if (leak) return `leaks ${leak}`;
  try {
    const body: unknown = JSON.parse(text);
    return isObject(body) && Array.isArray(body.timeline) ? null : "200 that is not a story";
  } catch {
    return "200 that is not JSON";
  }
}

/**
 * The problem with a server action's answer (React's flight text) to a defective call, or null. A refused call
 * may send the caller to sign in, or where `redirects` allows, on this site (`x-action-redirect` is
 * `/path;push`, or an absolute URL of this site).
 */
export function actionAnswerProblem(
  answer: { status: number; redirect: string | null; text: string },
  {
    origin,
    readOnly = false,
    redirects = /^\/login(\?|$)/,
  }: { origin: string; readOnly?: boolean; redirects?: RegExp },
): string | null {
  const { status, redirect, text } = answer;
  if (status >= 500) return `status ${status}`;
  const leak = leakIn(text);
  if (leak) return `leaks ${leak}`;
  if (!readOnly && /"ok":true/.test(text)) return "the action reported success";
  const target = redirect && URL.parse(redirect.replace(/;(push|replace)$/, ""), origin);
  if (
    target &&
    (target.origin !== new URL(origin).origin || !redirects.test(target.pathname + target.search))
  )
    return `redirected to ${redirect}`;
  return null;
}

/**
 * The problem with an answer to a browser-facing request (the sign-in routes, a page), or null: no 5xx or
 * leak, no redirect off this site (an
 * open redirect), and no session for anyone (none of the fuzz's accounts exists).
 */
export function browserAnswerProblem(
  baseUrl: string,
  status: number,
  headers: Headers,
  text: string,
): string | null {
  if (status >= 500) return `status ${status}`;
  const leak = leakIn(text);
  if (leak) return `leaks ${leak}`;
  const location = headers.get("location");
  if (location) {
    const target = URL.parse(location, baseUrl);
    if (!target || target.origin !== new URL(baseUrl).origin) return `redirected off-site to ${location}`;
  }
  const session = headers
    .getSetCookie()
    .find((c) => /^(__Secure-)?authjs\.session-token(\.\d+)?=[^;]+/.test(c) && !EXPIRED_COOKIE.test(c));
  if (session) return `set a session cookie (${session.slice(0, 60)})`;
  return null;
}

/**
 * Audit events a request that changes nothing legitimately adds: refusals (lib/dcr/core.ts,
 * lib/statements/upload.ts, lib/auth), a representative's first read of an organization in a session
 * (lib/auth/scope.ts), which the fuzz's representative makes whenever it first reaches one, and its entering or
 * leaving an organization (lib/organizations/service.ts), which the fuzz's switcher and "Stop acting" calls do
 * with the representative's own session.
 */
export const AUDITED_REJECTIONS = [
  "client.registration_rejected",
  "token.rejected",
  "statement.upload_rejected",
  "auth.sign_in_failed",
  "auth.sign_in_throttled",
  "support.accessed",
  "support.acting_started",
  "support.acting_stopped",
];

const TABLES = [
  "Organization",
  "User",
  "Membership",
  "Application",
  "SoftwareStatement",
  "SigningKey",
  "TrustedIssuer",
  "ClientRegistration",
  "AccessToken",
  "PersonalAccessToken",
  "Webhook",
  "WebhookDelivery",
];

/**
 * Columns that move without a change anyone asked for: a personal access token's lastUsedAt when the fuzz uses
 * it (a read), and a delivery's progress as the app's webhook worker sends what earlier tests queued.
 */
const MOVING: Record<string, string[]> = {
  PersonalAccessToken: ["lastUsedAt"],
  WebhookDelivery: ["status", "attempts", "nextAttemptAt", "lastStatusCode", "lastError", "deliveredAt"],
};

/** Row counts and a checksum of every table that holds data, and of the audit trail minus audited rejections. */
export async function snapshot(sql: Sql): Promise<Record<string, string>> {
  const digest = (rows: Record<string, unknown>[], moving: string[] = []) => {
    const lines = rows
      .map((r) => JSON.stringify(Object.entries(r).filter(([k]) => !moving.includes(k))))
      .sort();
    return `${rows.length} rows, ${createHash("sha256").update(lines.join("\n")).digest("hex").slice(0, 16)}`;
  };
  const out: Record<string, string> = {};
  for (const table of TABLES)
    out[table] = digest(await sql.all<Record<string, unknown>>(`SELECT * FROM "${table}"`), MOVING[table]);
  const marks = AUDITED_REJECTIONS.map(() => "?").join(", ");
  out.AuditEvent = digest(
    await sql.all<Record<string, unknown>>(
      `SELECT * FROM "AuditEvent" WHERE "action" NOT IN (${marks})`,
      ...AUDITED_REJECTIONS,
    ),
  );
  return out;
}

export async function auditedRejections(sql: Sql): Promise<number> {
  const marks = AUDITED_REJECTIONS.map(() => "?").join(", ");
  return (await sql.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "action" IN (${marks})`,
    ...AUDITED_REJECTIONS,
  ))!.n;
}
