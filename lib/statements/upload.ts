import "server-only";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import { auditContextOf, requireWrite, type OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, ValidationError } from "@/lib/errors";
import { issuerKeysForOrg } from "@/lib/issuers/service";
import { auditSnapshot, storeStatement, type StatementView } from "./records";
import { getStatement } from "./service";
import { parseInput } from "@/lib/validation";
import { enqueueWebhookEvent, statementEventData } from "@/lib/webhooks/outbox";
import { readableIdentity } from "./identity";
import { StatementVerificationError, verifySoftwareStatement, type VerifiedStatement } from "./verify";

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
  constructor(code: string, message: string, status = 400) {
    super(status, code, message);
  }
}

/**
 * A statement is held by one organization. Which one is not said: the uploader may not even know it exists.
 * A support representative can move it (lib/statements/move.ts) when it belongs to the uploader.
 */
const heldElsewhere = () =>
  new StatementRejectedError(
    "statement_held_elsewhere",
    "This statement is already registered by another organization, so it cannot be added here. If it is your application's statement, ask support to move it to your organization.",
    409,
  );

/**
 * A revoked statement stays revoked: uploading it again (or another text of it: see ./identity.ts) would
 * otherwise look like a way back. The issuer must sign a new statement, with a new jti.
 */
const revokedHere = () =>
  new StatementRejectedError(
    "statement_revoked",
    "This statement was revoked in this organization, so it cannot be added again. Ask its issuer for a new statement (with a new jti).",
    409,
  );

export type StatementPreview = {
  verified: VerifiedStatement;
  /** The application it would be attached to, if its sub/software_id names one of the organization's. */
  matchedApplication: { id: string; name: string } | null;
  /** Set when this statement (by identity: ./identity.ts) is already stored, and active, in the organization. */
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
    where: { fingerprint: verified.fingerprint },
    select: { id: true, organizationId: true, status: true },
  });
  if (existing && existing.organizationId !== scope.org.id) throw heldElsewhere();
  if (existing?.status === "REVOKED") throw revokedHere();
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
  const valid = parseInput(uploadInputSchema, input);
  const { software_statement: jwt, applicationId } = valid;

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
      await enqueueWebhookEvent(tx, scope.org, "statement.uploaded", { statement: statementEventData(view) });
      return { statement: view, duplicate: false };
    });
  } catch (error) {
    // Two uploads of the same statement raced and the other one stored it: here, or in another organization.
    const existing = await db.softwareStatement.findUnique({
      where: { fingerprint: preview.verified.fingerprint },
      select: { id: true, organizationId: true },
    });
    if (!existing) throw error;
    if (existing.organizationId === scope.org.id)
      return { statement: await getStatement(scope, existing.id), duplicate: true };
    const refused = heldElsewhere();
    await recordRejection(scope, jwt, refused);
    throw refused;
  }
}

async function recordRejection(scope: OrgScope, jwt: string, error: StatementRejectedError) {
  await withAudit(auditContextOf(scope), (_tx, audit) =>
    audit({
      action: "statement.upload_rejected",
      organizationId: scope.org.id,
      targetType: "statement",
      after: { reason: error.code, message: error.message, fingerprint: readableIdentity(jwt.trim()) },
    }),
  );
}
