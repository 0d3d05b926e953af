import "server-only";
import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import { auditContextOf, requireWrite, type OrgScope } from "@/lib/auth/scope";
import { db, type Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import type { SoftwareStatement } from "@/lib/generated/prisma/client";
import { issuerKeysForOrg } from "@/lib/issuers/service";
import { activeSigningKey, SIGNING_ALG } from "@/lib/keys/service";
import { afterCursor, newestFirst, pageQuerySchema, toPage, type Page } from "@/lib/pagination";
import {
  statementFingerprint,
  StatementVerificationError,
  verifySoftwareStatement,
  type VerifiedStatement,
} from "./verify";

export type StatementView = {
  id: string;
  applicationId: string;
  applicationName: string;
  software_statement: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  fingerprint: string;
  issuer: string;
  subject: string | null;
  kid: string | null;
  algorithm: string;
  origin: "generated" | "uploaded";
  status: "active" | "revoked";
  registrationCount: number;
  createdByEmail: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  revokedByEmail: string | null;
  revokedReason: string | null;
};

type Row = SoftwareStatement & { application: { name: string } };

function toView(row: Row): StatementView {
  return {
    id: row.id,
    applicationId: row.applicationId,
    applicationName: row.application.name,
    software_statement: row.jwt,
    header: JSON.parse(row.header),
    claims: JSON.parse(row.claims),
    fingerprint: row.fingerprint,
    issuer: row.issuer,
    subject: row.subject,
    kid: row.kid,
    algorithm: row.algorithm,
    origin: row.origin === "GENERATED" ? "generated" : "uploaded",
    status: row.status === "ACTIVE" ? "active" : "revoked",
    registrationCount: row.registrationCount,
    createdByEmail: row.createdByEmail,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    revokedByEmail: row.revokedByEmail,
    revokedReason: row.revokedReason,
  };
}

/** What the audit trail keeps of a statement: never the JWT text itself. */
function auditSnapshot(v: StatementView) {
  return {
    fingerprint: v.fingerprint,
    applicationId: v.applicationId,
    issuer: v.issuer,
    subject: v.subject,
    kid: v.kid,
    origin: v.origin,
    status: v.status,
    revokedReason: v.revokedReason ?? undefined,
  };
}

const withApplication = { application: { select: { name: true } } } as const;

/** The filename a download is saved under, as the vendor's dashboard names it. */
export function statementFilename(at = new Date()): string {
  return `software_statement_${at.getTime()}.txt`;
}

// ── Generate ──────────────────────────────────────────────────────────────────────────────────────────────

/** Signs a fresh statement for one of the organization's applications and stores it. */
export async function generateStatement(scope: OrgScope, applicationId: string): Promise<StatementView> {
  requireWrite(scope);
  const app = await db.application.findFirst({
    where: { id: String(applicationId), organizationId: scope.org.id },
  });
  if (!app) throw new NotFoundError("Application");
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
  const verified = await verifySoftwareStatement(jwt, issuerKeysForOrg(scope.org.id));
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

async function storeStatement(
  tx: Tx,
  scope: OrgScope,
  v: VerifiedStatement,
  applicationId: string,
  origin: "GENERATED" | "UPLOADED",
): Promise<StatementView> {
  const { user } = scope.caller;
  const row = await tx.softwareStatement.create({
    data: {
      organizationId: scope.org.id,
      applicationId,
      jwt: v.jwt,
      header: JSON.stringify(v.header),
      claims: JSON.stringify(v.claims),
      fingerprint: v.fingerprint,
      issuer: v.issuer,
      subject: v.subject,
      softwareId: v.softwareId,
      kid: v.kid,
      algorithm: v.algorithm,
      origin,
      createdById: user.id,
      createdByEmail: user.email,
    },
    include: withApplication,
  });
  return toView(row);
}

// ── Upload ────────────────────────────────────────────────────────────────────────────────────────────────

export const uploadInputSchema = z.object({
  // verifySoftwareStatement enforces the 16 KiB limit with its own code; this only bounds what is read.
  software_statement: z
    .string({ message: "Paste a software statement (a JWT)." })
    .max(65_536, "The statement is far larger than 16 KiB."),
  applicationId: z
    .string()
    .max(64)
    .optional()
    .transform((v) => v || undefined),
});

/** A rejected upload, with the verification code (`unsupported_algorithm`, `untrusted_issuer`, …). */
export class StatementRejectedError extends AppError {
  constructor(code: string, message: string) {
    super(400, code, message);
  }
}

export type StatementPreview = {
  verified: VerifiedStatement;
  /** The application it would be attached to, if its sub/software_id names one of the organization's. */
  matchedApplication: { id: string; name: string } | null;
  /** Set when this exact statement is already stored in the organization. */
  existingStatementId: string | null;
};

/**
 * Verifies a statement for upload without storing anything: what the upload page shows before saving.
 * Throws StatementRejectedError with a specific code when it cannot be accepted.
 */
export async function inspectStatement(scope: OrgScope, jwt: string): Promise<StatementPreview> {
  let verified: VerifiedStatement;
  try {
    verified = await verifySoftwareStatement(jwt, issuerKeysForOrg(scope.org.id));
  } catch (error) {
    if (error instanceof StatementVerificationError)
      throw new StatementRejectedError(error.code, error.message);
    throw error;
  }
  const existing = await db.softwareStatement.findUnique({
    where: {
      organizationId_fingerprint: { organizationId: scope.org.id, fingerprint: verified.fingerprint },
    },
    select: { id: true },
  });
  if (!existing && verified.issuer === env.PUBLIC_URL) {
    // Everything this console signs is stored when it is signed; one we don't hold belongs to another org.
    throw new StatementRejectedError(
      "foreign_statement",
      "This statement was issued by this console for another organization's application: it cannot be uploaded here.",
    );
  }
  const ids = [verified.softwareId, verified.subject].filter((v): v is string => Boolean(v));
  const matched = await db.application.findFirst({
    where: { organizationId: scope.org.id, id: { in: ids } },
    select: { id: true, name: true },
  });
  return { verified, matchedApplication: matched, existingStatementId: existing?.id ?? null };
}

/**
 * Stores a statement another issuer signed, after verifying it. The same statement uploaded twice yields the
 * stored record (`duplicate: true`), never a second one. Every rejection is audited with its reason.
 */
export async function uploadStatement(
  scope: OrgScope,
  input: unknown,
): Promise<{ statement: StatementView; duplicate: boolean }> {
  requireWrite(scope);
  const parsed = uploadInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError("Check the highlighted fields.", z.flattenError(parsed.error).fieldErrors);
  const { software_statement: jwt, applicationId } = parsed.data;

  let preview: StatementPreview;
  try {
    preview = await inspectStatement(scope, jwt);
  } catch (error) {
    if (error instanceof StatementRejectedError) await recordRejection(scope, jwt, error);
    throw error;
  }
  if (preview.existingStatementId)
    return { statement: await getStatement(scope, preview.existingStatementId), duplicate: true };

  const chosen = applicationId
    ? await db.application.findFirst({
        where: { id: applicationId, organizationId: scope.org.id },
        select: { id: true },
      })
    : preview.matchedApplication;
  if (!chosen) {
    const message = applicationId
      ? "That application was not found in this organization."
      : `Choose the application this statement belongs to: its sub/software_id (${preview.verified.softwareId ?? preview.verified.subject}) matches none of yours.`;
    throw new ValidationError(message, { applicationId: [message] });
  }

  try {
    return await withAudit(auditContextOf(scope), async (tx, audit) => {
      const view = await storeStatement(tx, scope, preview.verified, chosen.id, "UPLOADED");
      await audit({
        action: "statement.uploaded",
        organizationId: scope.org.id,
        targetType: "statement",
        targetId: view.id,
        after: auditSnapshot(view),
      });
      return { statement: view, duplicate: false };
    });
  } catch (error) {
    // Two uploads of the same statement raced: the other one stored it.
    const existing = await db.softwareStatement.findUnique({
      where: {
        organizationId_fingerprint: {
          organizationId: scope.org.id,
          fingerprint: preview.verified.fingerprint,
        },
      },
      select: { id: true },
    });
    if (existing) return { statement: await getStatement(scope, existing.id), duplicate: true };
    throw error;
  }
}

async function recordRejection(scope: OrgScope, jwt: string, error: StatementRejectedError) {
  await withAudit(auditContextOf(scope), (_tx, audit) =>
    audit({
      action: "statement.upload_rejected",
      organizationId: scope.org.id,
      targetType: "statement",
      after: { reason: error.code, message: error.message, fingerprint: statementFingerprint(jwt.trim()) },
    }),
  );
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
    .transform((v) => v || undefined),
});

export async function listStatements(scope: OrgScope, query: unknown = {}): Promise<Page<StatementView>> {
  const parsed = statementFilterSchema.safeParse(query);
  if (!parsed.success) throw new ValidationError("Invalid filter.", z.flattenError(parsed.error).fieldErrors);
  const { limit, cursor, status, applicationId, q } = parsed.data;
  const search = q
    ? /^[0-9a-f]{6,64}$/i.test(q)
      ? { OR: [{ fingerprint: { startsWith: q.toLowerCase() } }, { issuer: q }, { subject: q }] }
      : { OR: [{ issuer: q }, { subject: q }] }
    : {};
  const rows = await db.softwareStatement.findMany({
    where: {
      organizationId: scope.org.id,
      ...(status && { status: status === "active" ? "ACTIVE" : "REVOKED" }),
      ...(applicationId && { applicationId }),
      AND: [search, afterCursor(cursor)],
    },
    orderBy: newestFirst,
    take: limit + 1,
    include: withApplication,
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
    include: withApplication,
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
  const parsed = revokeInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError("Check the highlighted fields.", z.flattenError(parsed.error).fieldErrors);
  const { user } = scope.caller;
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const before = await tx.softwareStatement.findFirst({
      where: { id: String(id), organizationId: scope.org.id },
      include: withApplication,
    });
    if (!before) throw new NotFoundError("Statement");
    const revokedAt = new Date();
    const { count } = await tx.softwareStatement.updateMany({
      where: { id: before.id, status: "ACTIVE" },
      data: {
        status: "REVOKED",
        revokedAt,
        revokedById: user.id,
        revokedByEmail: user.email,
        revokedReason: parsed.data.reason,
      },
    });
    if (count === 0) {
      throw new ConflictError(
        `This statement was already revoked${before.revokedAt ? ` on ${before.revokedAt.toISOString()}` : ""}${before.revokedByEmail ? ` by ${before.revokedByEmail}` : ""}. Revocation is permanent.`,
      );
    }
    const after = await tx.softwareStatement.findUniqueOrThrow({
      where: { id: before.id },
      include: withApplication,
    });
    const view = toView(after);
    await audit({
      action: "statement.revoked",
      organizationId: scope.org.id,
      targetType: "statement",
      targetId: view.id,
      before: auditSnapshot(toView(before)),
      after: { ...auditSnapshot(view), registrationsCutOff: view.registrationCount },
    });
    return view;
  });
}

// ── Counts ────────────────────────────────────────────────────────────────────────────────────────────────

/** Applications and statements by status, for the Overview (indexed counts). */
export async function statementCounts(scope: OrgScope) {
  const [applications, active, revoked] = await Promise.all([
    db.application.count({ where: { organizationId: scope.org.id } }),
    db.softwareStatement.count({ where: { organizationId: scope.org.id, status: "ACTIVE" } }),
    db.softwareStatement.count({ where: { organizationId: scope.org.id, status: "REVOKED" } }),
  ]);
  return { applications, active, revoked };
}
