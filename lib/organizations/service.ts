import "server-only";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import {
  auditContextOf,
  isRep,
  requireWrite,
  type Caller,
  type OrgRef,
  type OrgScope,
} from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { ValidationError } from "@/lib/errors";

/** Organizations the caller can open: a representative sees all of them, anyone else their memberships. */
export async function listVisibleOrganizations(caller: Caller): Promise<OrgRef[]> {
  if (!isRep(caller)) return caller.memberships.map(({ id, slug, name }) => ({ id, slug, name }));
  return db.organization.findMany({ select: { id: true, slug: true, name: true }, orderBy: { name: "asc" } });
}

/** A representative starting to act for an organization: recorded on that organization's trail. */
export async function recordActingFor(scope: OrgScope): Promise<void> {
  if (!scope.actingFor) return;
  await withAudit(auditContextOf(scope), (_tx, audit) =>
    audit({
      action: "support.acting_started",
      organizationId: scope.org.id,
      targetType: "organization",
      targetId: scope.org.id,
    }),
  );
}

export const organizationSettingsSchema = z.object({
  name: z.string().trim().min(2, "Use at least 2 characters.").max(100, "Use at most 100 characters."),
  // Access token lifetime in seconds: 5 minutes to 24 hours (DCR-API.md §2 default: 6 hours).
  tokenLifetimeSeconds: z.coerce
    .number({ message: "Enter a number of seconds." })
    .int("Enter a whole number of seconds.")
    .min(300, "Use at least 300 seconds (5 minutes).")
    .max(86_400, "Use at most 86400 seconds (24 hours).")
    .optional(),
});

export async function organizationSettings(scope: OrgScope) {
  return db.organization.findUniqueOrThrow({
    where: { id: scope.org.id },
    select: { name: true, slug: true, tokenLifetimeSeconds: true },
  });
}

export async function updateOrganizationSettings(scope: OrgScope, input: unknown): Promise<OrgRef> {
  requireWrite(scope);
  const parsed = organizationSettingsSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError("Check the highlighted fields.", z.flattenError(parsed.error).fieldErrors);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: scope.org.id } });
    const after = await tx.organization.update({
      where: { id: scope.org.id },
      data: { name: parsed.data.name, tokenLifetimeSeconds: parsed.data.tokenLifetimeSeconds },
    });
    await audit({
      action: "org.updated",
      organizationId: after.id,
      targetType: "organization",
      targetId: after.id,
      before: { name: before.name, tokenLifetimeSeconds: before.tokenLifetimeSeconds },
      after: { name: after.name, tokenLifetimeSeconds: after.tokenLifetimeSeconds },
    });
    return { id: after.id, slug: after.slug, name: after.name };
  });
}
