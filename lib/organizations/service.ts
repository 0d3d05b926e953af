import "server-only";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import {
  auditContextOf,
  isRep,
  markSupportAccess,
  requireWrite,
  type Caller,
  type OrgRef,
  type OrgScope,
} from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { addMemberIn, memberSchema } from "@/lib/members/service";
import { parseInput } from "@/lib/validation";

/** Organizations the caller can open: a representative sees all of them, anyone else their memberships. */
export async function listVisibleOrganizations(caller: Caller): Promise<OrgRef[]> {
  if (!isRep(caller)) return caller.memberships.map(({ id, slug, name }) => ({ id, slug, name }));
  return db.organization.findMany({
    where: caller.onlyOrgId ? { id: caller.onlyOrgId } : {},
    select: { id: true, slug: true, name: true },
    orderBy: { name: "asc" },
  });
}

/**
 * A representative starting to act for an organization: recorded on that organization's trail, once. It also
 * counts as the session's first access (lib/auth/scope.ts), so no `support.accessed` follows it.
 */
export async function recordActingFor(scope: OrgScope): Promise<void> {
  if (!scope.actingFor) return;
  await withAudit(auditContextOf(scope), async (tx, audit) => {
    await markSupportAccess(tx, scope);
    await audit({
      action: "support.acting_started",
      organizationId: scope.org.id,
      targetType: "organization",
      targetId: scope.org.id,
    });
  });
}

/** A representative stopping to act for an organization: recorded on its trail as the session ends the role. */
export async function recordActingStopped(scope: OrgScope): Promise<void> {
  if (!scope.actingFor) return;
  await withAudit(auditContextOf(scope), (_tx, audit) =>
    audit({
      action: "support.acting_stopped",
      organizationId: scope.org.id,
      targetType: "organization",
      targetId: scope.org.id,
    }),
  );
}

/** An object a page shows, which a representative may find in another organization than the one they act for. */
export type Locatable = { kind: "statement" | "application" | "client"; id: string };

/**
 * For a representative (who may act for any organization): the organization holding this object, so the page
 * can offer to switch to it instead of a dead end. Null for anyone else, or when nothing holds it.
 */
export async function organizationHolding(caller: Caller, { kind, id }: Locatable): Promise<OrgRef | null> {
  if (!isRep(caller) || caller.onlyOrgId) return null;
  const select = { organization: { select: { id: true, slug: true, name: true } } } as const;
  const row =
    kind === "statement"
      ? await db.softwareStatement.findUnique({ where: { id }, select })
      : kind === "application"
        ? await db.application.findUnique({ where: { id }, select })
        : await db.clientRegistration.findUnique({ where: { clientId: id }, select });
  return row?.organization ?? null;
}

export const organizationSettingsSchema = z.object({
  name: z.string().trim().min(2, "Use at least 2 characters.").max(100, "Use at most 100 characters."),
  // Access token lifetime in seconds: 5 minutes to 24 hours (docs/client-api.md §2 default: 6 hours).
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
  const valid = parseInput(organizationSettingsSchema, input);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const before = await tx.organization.findUniqueOrThrow({ where: { id: scope.org.id } });
    const after = await tx.organization.update({
      where: { id: scope.org.id },
      data: { name: valid.name, tokenLifetimeSeconds: valid.tokenLifetimeSeconds },
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

export const newOrganizationSchema = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "Use 1–40 lowercase letters, digits and dashes."),
  name: organizationSettingsSchema.shape.name,
  admin: memberSchema.pick({ email: true, name: true }),
});

/**
 * A representative creates an organization and its first admin. Both events go on the new organization's
 * chain, recorded as the representative acting for it.
 */
export async function createOrganization(caller: Caller, input: unknown) {
  if (!isRep(caller)) throw new ForbiddenError("Only support representatives can create organizations.");
  if (caller.onlyOrgId)
    throw new ForbiddenError("A personal access token reaches one organization: sign in to create one.");
  const valid = parseInput(newOrganizationSchema, input);
  const { slug, name, admin } = valid;
  const ctx = {
    actor: { userId: caller.user.id, email: caller.user.email, role: caller.user.role, actingFor: true },
    request: caller.request,
  };
  return withAudit(ctx, async (tx, audit) => {
    if (await tx.organization.findUnique({ where: { slug } }))
      throw new ConflictError(`The slug ${slug} is taken.`, { fields: { slug: ["This slug is taken."] } });
    const org = await tx.organization.create({ data: { slug, name } });
    await audit({
      action: "org.created",
      organizationId: org.id,
      targetType: "organization",
      targetId: org.id,
      after: { slug, name },
    });
    const added = await addMemberIn(tx, audit, org.id, { ...admin, role: "ADMIN" });
    return { id: org.id, slug: org.slug, name: org.name, admin: added };
  });
}
