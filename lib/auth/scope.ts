import "server-only";
import { withAudit, type AuditContext, type RequestMeta } from "@/lib/audit";
import { db, type Tx } from "@/lib/db";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import type { GlobalRole, OrgRole } from "@/lib/generated/prisma/enums";

/**
 * Who is calling and what they may do in one organization. Free of Auth.js and of Next's request APIs, so
 * services (and the seed, and tests) can use it anywhere; lib/auth/caller.ts builds a Caller from a session.
 */
export type OrgRef = { id: string; slug: string; name: string };

export type Caller = {
  user: { id: string; email: string; name: string; role: GlobalRole };
  memberships: (OrgRef & { role: OrgRole })[];
  request: RequestMeta;
  /** Set for a personal access token: a read-only token may change nothing. Absent for a session. */
  access?: "read" | "write";
  /** Set for a personal access token: the one organization it may reach (any other is a 404). */
  onlyOrgId?: string;
  /**
   * What this caller's requests share: the browser session's id, or `token:<id>` for an access token. Unset
   * for callers made outside a request (the seed, scripts), whose reads are not recorded.
   */
  sessionKey?: string;
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

export const isRep = (caller: Caller) => caller.user.role === "REP";

/**
 * The caller's access to the organization with this slug. Members get their role; representatives act for
 * any organization; anyone else gets "not found", never a hint that the organization exists.
 */
export async function scopeForOrg(
  caller: Caller,
  slug: string,
  { recordAccess = true } = {},
): Promise<OrgScope> {
  const membership = caller.memberships.find((m) => m.slug === slug);
  if (membership) {
    const { role, ...org } = membership;
    return { caller, org, role, actingFor: false, canWrite: role === "ADMIN" && caller.access !== "read" };
  }
  if (isRep(caller)) {
    const org = await db.organization.findUnique({
      where: { slug },
      select: { id: true, slug: true, name: true },
    });
    if (org && (!caller.onlyOrgId || caller.onlyOrgId === org.id)) {
      const scope = { caller, org, role: null, actingFor: true, canWrite: caller.access !== "read" };
      // Off only where the caller records a more telling event with the access (recordActingFor).
      if (recordAccess) await recordSupportAccess(scope);
      return scope;
    }
  }
  throw new NotFoundError("Organization");
}

/**
 * A representative's reads leave a trace: the first time a session (or access token) opens an organization,
 * one `support.accessed` event goes on that organization's chain. Every way in (pages, admin API, exports)
 * comes through `scopeForOrg`, so this is the one place. The row and the event are written in one
 * transaction, and only when the insert happened, so racing requests record the pair once.
 */
async function recordSupportAccess(scope: OrgScope): Promise<void> {
  const sessionKey = scope.caller.sessionKey;
  if (!sessionKey) return;
  const key = { sessionKey, organizationId: scope.org.id };
  // The usual case, a read that finds the pair already recorded, writes nothing.
  if (await db.supportAccess.findUnique({ where: { sessionKey_organizationId: key } })) return;
  await withAudit(auditContextOf(scope), async (tx, audit) => {
    if (!(await markSupportAccess(tx, scope))) return;
    await audit({
      action: "support.accessed",
      organizationId: scope.org.id,
      targetType: "organization",
      targetId: scope.org.id,
      after: { via: sessionKey.startsWith("token:") ? "access token" : "session" },
    });
  });
}

/**
 * Marks the caller's session (or token) as having opened the scope's organization; false if it already had.
 * Whoever calls it writes the audit event that says so, in the same transaction.
 */
export async function markSupportAccess(tx: Tx, scope: OrgScope): Promise<boolean> {
  const sessionKey = scope.caller.sessionKey;
  if (!sessionKey) return false;
  const inserted = await tx.$executeRaw`
    INSERT INTO "SupportAccess" ("sessionKey", "organizationId") VALUES (${sessionKey}, ${scope.org.id})
    ON CONFLICT DO NOTHING`;
  return inserted > 0;
}

export function requireWrite(scope: OrgScope): OrgScope {
  if (!scope.canWrite && scope.caller.access === "read")
    throw new ForbiddenError("This token is read-only: it cannot change anything.");
  if (!scope.canWrite)
    throw new ForbiddenError("Viewers can look but not change anything in this organization.");
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
