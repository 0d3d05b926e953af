import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import type { AuditContext, RequestMeta } from "@/lib/audit";
import { db } from "@/lib/db";
import { ForbiddenError, NotFoundError, UnauthenticatedError } from "@/lib/errors";
import type { GlobalRole, OrgRole } from "@/lib/generated/prisma/enums";
import { requestMetaFrom } from "@/lib/request-meta";
import { auth } from "./index";

/** The dashboard's current organization, by slug. Only a hint: access is checked on every request. */
export const ORG_COOKIE = "current-org";

export type OrgRef = { id: string; slug: string; name: string };

export type Caller = {
  user: { id: string; email: string; name: string; role: GlobalRole };
  memberships: (OrgRef & { role: OrgRole })[];
  request: RequestMeta;
};

/** What the caller may do in one organization. */
export type OrgScope = {
  caller: Caller;
  org: OrgRef;
  /** The caller's membership role; `null` for a representative acting for the organization. */
  role: OrgRole | null;
  actingFor: boolean;
  canWrite: boolean;
};

/**
 * The signed-in user, re-read from the database on every request so that a disabled account, a password
 * change or a role change takes effect at once. `null` when there is no valid session.
 */
export const getCaller = cache(async (): Promise<Caller | null> => {
  const session = await auth();
  if (!session?.user?.id) return null;
  const user = await db.user.findUnique({
    where: { id: session.user.id },
    include: { memberships: { include: { organization: true }, orderBy: { createdAt: "asc" } } },
  });
  if (!user || user.disabled || user.sessionVersion !== session.sessionVersion) return null;
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    memberships: user.memberships.map((m) => ({
      id: m.organization.id,
      slug: m.organization.slug,
      name: m.organization.name,
      role: m.role,
    })),
    request: requestMetaFrom(await headers()),
  };
});

export async function requireCaller(): Promise<Caller> {
  const caller = await getCaller();
  if (!caller) throw new UnauthenticatedError();
  return caller;
}

export const isRep = (caller: Caller) => caller.user.role === "REP";

/**
 * The caller's access to the organization with this slug. Members get their role; representatives act for
 * any organization; anyone else gets "not found", never a hint that the organization exists.
 */
export async function scopeForOrg(caller: Caller, slug: string): Promise<OrgScope> {
  const membership = caller.memberships.find((m) => m.slug === slug);
  if (membership) {
    const { role, ...org } = membership;
    return { caller, org, role, actingFor: false, canWrite: role === "ADMIN" };
  }
  if (isRep(caller)) {
    const org = await db.organization.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
    if (org) return { caller, org, role: null, actingFor: true, canWrite: true };
  }
  throw new NotFoundError("Organization");
}

/**
 * The organization the dashboard is showing: the one chosen in the switcher if the caller may still see it,
 * else (for members) their first organization. A representative who has not chosen one gets `null`.
 */
export async function currentScope(caller: Caller): Promise<OrgScope | null> {
  const chosen = (await cookies()).get(ORG_COOKIE)?.value;
  if (chosen) {
    try {
      return await scopeForOrg(caller, chosen);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  const first = caller.memberships[0];
  return first && !isRep(caller) ? scopeForOrg(caller, first.slug) : null;
}

export function requireWrite(scope: OrgScope): OrgScope {
  if (!scope.canWrite) throw new ForbiddenError("Viewers can look but not change anything in this organization.");
  return scope;
}

/** How a change made through this scope is attributed in the audit trail. */
export function auditContextOf(scope: OrgScope): AuditContext {
  const { user, request } = scope.caller;
  return {
    actor: { userId: user.id, email: user.email, role: scope.role ?? user.role, actingFor: scope.actingFor },
    request,
  };
}
