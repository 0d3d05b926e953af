import "server-only";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import { auditContextOf, isRep, requireWrite, scopeForOrg, type OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { issuerKeysForOrg } from "@/lib/issuers/service";
import { applicationChoices } from "@/lib/applications/service";
import { auditSnapshot, toView, forView, type StatementView } from "./records";
import { StatementVerificationError, verifySoftwareStatement } from "./verify";

export const moveInputSchema = z.object({
  organization: z
    .string({ message: "Choose the organization the statement belongs to." })
    .trim()
    .min(1, "Choose the organization the statement belongs to.")
    .max(64),
  applicationId: z
    .string({ message: "Choose the application it belongs to there." })
    .trim()
    .min(1, "Choose the application it belongs to there.")
    .max(64),
  reason: z
    .string({ message: "Say why the statement is moved." })
    .trim()
    .min(3, "Say why the statement is moved (at least 3 characters).")
    .max(500, "Use at most 500 characters."),
});

const invalid = (field: keyof z.infer<typeof moveInputSchema>, message: string) =>
  new ValidationError(message, { [field]: [message] });

/**
 * Moves an uploaded statement to the organization it belongs to, with the clients it registered and their
 * tokens: what support does when one organization uploaded another's statement first (a statement is held by
 * exactly one organization). Only a representative may, and only to an organization that trusts the
 * statement's issuer. Both organizations' audit chains record it, in the same transaction as the move.
 */
export async function moveStatement(scope: OrgScope, id: string, input: unknown): Promise<StatementView> {
  requireSupport(scope);
  const statement = await db.softwareStatement.findFirst({
    where: { id: String(id), organizationId: scope.org.id },
    include: forView,
  });
  if (!statement) throw new NotFoundError("Statement");
  const parsed = moveInputSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError("Check the highlighted fields.", z.flattenError(parsed.error).fieldErrors);
  if (statement.origin === "GENERATED")
    throw new ValidationError(
      "A statement this console generated belongs to the application it was signed for: generate a new one in the other organization instead.",
    );

  const target = await destination(scope, parsed.data.organization);
  if (target.org.id === scope.org.id)
    throw invalid("organization", "The statement is already in this organization.");
  const application = await db.application.findFirst({
    where: { id: parsed.data.applicationId, organizationId: target.org.id },
    select: { id: true },
  });
  if (!application) throw invalid("applicationId", `That application was not found in ${target.org.name}.`);
  try {
    await verifySoftwareStatement(statement.jwt, issuerKeysForOrg(target.org.id));
  } catch (error) {
    if (!(error instanceof StatementVerificationError)) throw error;
    throw invalid(
      "organization",
      `${target.org.name} cannot accept this statement: ${error.message.replace(/in this organization/, "there")}`,
    );
  }

  const { reason } = parsed.data;
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    // Moved only from where it was read: a move or revocation that got there first is not undone.
    const { count } = await tx.softwareStatement.updateMany({
      where: { id: statement.id, organizationId: scope.org.id },
      data: { organizationId: target.org.id, applicationId: application.id },
    });
    if (count === 0)
      throw new ConflictError("The statement changed while you were moving it: reload and retry.");
    const clients = await tx.clientRegistration.updateMany({
      where: { statementId: statement.id },
      data: { organizationId: target.org.id, applicationId: application.id },
    });
    await tx.accessToken.updateMany({
      where: { registration: { statementId: statement.id } },
      data: { organizationId: target.org.id },
    });
    // Its activity follows it: the charts of the organization that holds it now show its history.
    await tx.activityRollup.updateMany({
      where: { statementId: statement.id },
      data: { organizationId: target.org.id, applicationId: application.id },
    });
    const moved = toView(
      await tx.softwareStatement.findUniqueOrThrow({ where: { id: statement.id }, include: forView }),
    );
    const move = { from: scope.org.slug, to: target.org.slug, reason, registrationsMoved: clients.count };
    const event = {
      targetType: "statement",
      targetId: statement.id,
      before: auditSnapshot(toView(statement)),
    };
    await audit({ ...event, action: "statement.moved_out", organizationId: scope.org.id, after: move });
    await audit({
      ...event,
      action: "statement.moved_in",
      organizationId: target.org.id,
      after: { ...auditSnapshot(moved), ...move },
    });
    return moved;
  });
}

/** The applications a statement could be moved to in the organization with this slug (for the move form). */
export async function moveTargetApplications(scope: OrgScope, organization: string) {
  requireSupport(scope);
  return applicationChoices(await destination(scope, String(organization)));
}

function requireSupport(scope: OrgScope) {
  requireWrite(scope);
  if (!isRep(scope.caller))
    throw new ForbiddenError("Only a support representative can move a statement to another organization.");
}

/** Where a representative may move to: any organization they could act for with write access. */
async function destination(scope: OrgScope, slug: string): Promise<OrgScope> {
  return requireWrite(await scopeForOrg(scope.caller, slug));
}
