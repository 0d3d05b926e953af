import "server-only";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import { auditContextOf, requireWrite, type OrgScope } from "@/lib/auth/scope";
import { db, type Tx } from "@/lib/db";
import type { Application } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { issuerKeysForOrg } from "@/lib/issuers/service";
import { activeSigningKey, SIGNING_ALG } from "@/lib/keys/service";
import { afterCursor, newestFirst, pageQuerySchema, toPage, type Page } from "@/lib/pagination";
import {
  auditSnapshot,
  statementFilename,
  storeStatement,
  toView,
  forView,
  type StatementView,
} from "./records";
import { verifySoftwareStatement } from "./verify";
import { timeInText } from "@/lib/time-format";
import { parseInput } from "@/lib/validation";
import { enqueueWebhookEvent, statementEventData } from "@/lib/webhooks/outbox";

export { statementFilename, type StatementView };

// ── Generate ──────────────────────────────────────────────────────────────────────────────────────────────

/** Signs a fresh statement for one of the organization's applications and stores it. */
export async function generateStatement(scope: OrgScope, applicationId: string): Promise<StatementView> {
  requireWrite(scope);
  const app = await db.application.findFirst({
    where: { id: String(applicationId), organizationId: scope.org.id },
  });
  if (!app) throw new NotFoundError("Application");
  const verified = await signStatement(scope, app);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const view = await storeStatement(tx, scope, verified, app.id, "GENERATED");
    await audit({
      action: "statement.generated",
      organizationId: scope.org.id,
      targetType: "statement",
      targetId: view.id,
      after: auditSnapshot(view),
    });
    return view;
  });
}

/** A new statement for `app`, signed with this service's active key and verified as an upload would be. */
async function signStatement(scope: OrgScope, app: Application) {
  const key = await activeSigningKey();
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ software_id: app.id, software_version: app.version, client_name: app.name })
    .setProtectedHeader({ alg: SIGNING_ALG, kid: key.kid, typ: "JWT" })
    .setIssuer(env.PUBLIC_URL)
    .setSubject(app.id)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setJti(randomUUID())
    .sign(key.privateKey);
  // Verify what was just signed exactly as an upload or a registration would: one code path for both.
  return verifySoftwareStatement(jwt, issuerKeysForOrg(scope.org.id));
}

// ── Read ──────────────────────────────────────────────────────────────────────────────────────────────────

export const statementFilterSchema = pageQuerySchema.extend({
  status: z
    .enum(["active", "revoked"])
    .optional()
    .or(z.literal("").transform(() => undefined)),
  applicationId: z
    .string()
    .max(64)
    .optional()
    .transform((v) => v || undefined),
  q: z
    .string()
    .trim()
    .max(2048)
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => !v || v.length >= 3, "Type at least 3 characters to search."),
});

/** What the statement search looks in, for the search field to say so. */
export const STATEMENT_SEARCH_FIELDS = "fingerprint, issuer, subject, application name or jti";

/**
 * Any part of the fingerprint, issuer, subject, application name, or the claims (where the jti is), from 3
 * characters. `contains` is a LIKE on SQLite (ASCII case-insensitive) and case-sensitive on PostgreSQL;
 * fingerprints are lowercase hex, so a pasted uppercase one still matches.
 */
function statementSearch(q: string) {
  return {
    OR: [
      { fingerprint: { contains: q.toLowerCase() } },
      { issuer: { contains: q } },
      { subject: { contains: q } },
      { application: { name: { contains: q } } },
      { claims: { contains: q } },
    ],
  };
}

export async function listStatements(scope: OrgScope, query: unknown = {}): Promise<Page<StatementView>> {
  const { limit, cursor, status, applicationId, q } = parseInput(
    statementFilterSchema,
    query,
    "Invalid filter.",
  );
  const search = q ? statementSearch(q) : {};
  const rows = await db.softwareStatement.findMany({
    where: {
      organizationId: scope.org.id,
      ...(status && { status: status === "active" ? "ACTIVE" : "REVOKED" }),
      ...(applicationId && { applicationId }),
      AND: [search, afterCursor(cursor)],
    },
    orderBy: newestFirst,
    take: limit + 1,
    include: forView,
  });
  const page = toPage(rows, limit);
  return { ...page, items: page.items.map(toView) };
}

/** The organization's newest statements, for pickers (bounded; a filter picker needs no JWT text). */
export async function statementChoices(
  scope: OrgScope,
): Promise<{ id: string; fingerprint: string; applicationName: string; status: "active" | "revoked" }[]> {
  const rows = await db.softwareStatement.findMany({
    where: { organizationId: scope.org.id },
    select: { id: true, fingerprint: true, status: true, application: { select: { name: true } } },
    orderBy: newestFirst,
    take: 200,
  });
  return rows.map((r) => ({
    id: r.id,
    fingerprint: r.fingerprint,
    applicationName: r.application.name,
    status: r.status === "ACTIVE" ? "active" : "revoked",
  }));
}

export async function getStatement(scope: OrgScope, id: string): Promise<StatementView> {
  const row = await db.softwareStatement.findFirst({
    where: { id: String(id), organizationId: scope.org.id },
    include: forView,
  });
  if (!row) throw new NotFoundError("Statement");
  return toView(row);
}

/** The stored JWT as a file, for anyone who can read the organization; each download is audited. */
export async function downloadStatement(
  scope: OrgScope,
  id: string,
): Promise<{ filename: string; jwt: string }> {
  const view = await getStatement(scope, id);
  await withAudit(auditContextOf(scope), (_tx, audit) =>
    audit({
      action: "statement.downloaded",
      organizationId: scope.org.id,
      targetType: "statement",
      targetId: view.id,
      after: { fingerprint: view.fingerprint },
    }),
  );
  return { filename: statementFilename(), jwt: view.software_statement };
}

// ── Revoke ────────────────────────────────────────────────────────────────────────────────────────────────

export const revokeInputSchema = z.object({
  reason: z
    .string({ message: "Say why the statement is revoked." })
    .trim()
    .min(3, "Say why the statement is revoked (at least 3 characters).")
    .max(500, "Use at most 500 characters."),
});

/**
 * Revokes a statement for good: one row update and its audit event. Registrations are not touched: the
 * client-facing endpoints check the statement's status, so every client it registered is cut off at once.
 */
export async function revokeStatement(scope: OrgScope, id: string, input: unknown): Promise<StatementView> {
  requireWrite(scope);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const before = await statementToRevoke(tx, scope, id);
    const view = await markRevoked(tx, scope, before, parseRevokeInput(input));
    await audit({
      action: "statement.revoked",
      organizationId: scope.org.id,
      targetType: "statement",
      targetId: view.id,
      before: auditSnapshot(toView(before)),
      after: { ...auditSnapshot(view), registrationsCutOff: view.registrationCount },
    });
    await enqueueWebhookEvent(tx, scope.org, "statement.revoked", { statement: statementEventData(view) });
    return view;
  });
}

/**
 * Revoke-and-replace, the answer to a leak: a new statement for the same application and the old one revoked,
 * in one transaction (both or neither), with an event for each. The replacement is signed by this service,
 * whoever issued the old one.
 */
export async function replaceStatement(
  scope: OrgScope,
  id: string,
  input: unknown,
): Promise<{ revoked: StatementView; replacement: StatementView }> {
  requireWrite(scope);
  const found = await statementToRevoke(db, scope, id);
  const { reason } = parseRevokeInput(input);
  const app = await db.application.findUniqueOrThrow({ where: { id: found.applicationId } });
  const verified = await signStatement(scope, app);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const before = await statementToRevoke(tx, scope, id);
    const revoked = await markRevoked(tx, scope, before, { reason });
    const replacement = await storeStatement(tx, scope, verified, before.applicationId, "GENERATED");
    const event = { organizationId: scope.org.id, targetType: "statement" } as const;
    await audit({
      ...event,
      action: "statement.replaced",
      targetId: revoked.id,
      before: auditSnapshot(toView(before)),
      after: {
        ...auditSnapshot(revoked),
        registrationsCutOff: revoked.registrationCount,
        replacedBy: replacement.id,
      },
    });
    await audit({
      ...event,
      action: "statement.generated",
      targetId: replacement.id,
      after: { ...auditSnapshot(replacement), replaces: revoked.id },
    });
    await enqueueWebhookEvent(tx, scope.org, "statement.replaced", {
      statement: statementEventData(revoked),
      replacement: statementEventData(replacement),
    });
    return { revoked, replacement };
  });
}

/** The organization's statement `id`, read inside the transaction that revokes it; another's is "not found". */
async function statementToRevoke(tx: Tx | typeof db, scope: OrgScope, id: string) {
  const statement = await tx.softwareStatement.findFirst({
    where: { id: String(id), organizationId: scope.org.id },
    include: forView,
  });
  if (!statement) throw new NotFoundError("Statement");
  return statement;
}

function parseRevokeInput(input: unknown) {
  const parsed = revokeInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError("Check the highlighted fields.", z.flattenError(parsed.error).fieldErrors);
  return parsed.data;
}

/** Marks `before` revoked, only if it still is active (a revocation that got there first is a conflict). */
async function markRevoked(
  tx: Tx,
  scope: OrgScope,
  before: Awaited<ReturnType<typeof statementToRevoke>>,
  { reason }: { reason: string },
): Promise<StatementView> {
  const { user } = scope.caller;
  const { count } = await tx.softwareStatement.updateMany({
    where: { id: before.id, status: "ACTIVE" },
    data: {
      status: "REVOKED",
      revokedAt: new Date(),
      revokedById: user.id,
      revokedByEmail: user.email,
      revokedReason: reason,
    },
  });
  if (count === 0) {
    throw new ConflictError(
      `This statement was already revoked${before.revokedAt ? ` ${timeInText(before.revokedAt)}` : ""}${before.revokedByEmail ? ` by ${before.revokedByEmail}` : ""}. Revocation is permanent.`,
    );
  }
  return toView(await tx.softwareStatement.findUniqueOrThrow({ where: { id: before.id }, include: forView }));
}

// ── Counts ────────────────────────────────────────────────────────────────────────────────────────────────

/** Applications and statements by status, for the Overview (indexed counts). */
export async function statementCounts(scope: OrgScope) {
  // The statements counted by status in one query (the Overview runs each of its queries on every view).
  const [applications, byStatus] = await Promise.all([
    db.application.count({ where: { organizationId: scope.org.id } }),
    db.softwareStatement.groupBy({
      by: ["status"],
      where: { organizationId: scope.org.id },
      _count: { _all: true },
    }),
  ]);
  const count = (status: string) => byStatus.find((row) => row.status === status)?._count._all ?? 0;
  return { applications, active: count("ACTIVE"), revoked: count("REVOKED") };
}
