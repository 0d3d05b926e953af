import "server-only";
import { cookies, headers } from "next/headers";
import { cache } from "react";
import { db } from "@/lib/db";
import { NotFoundError, UnauthenticatedError } from "@/lib/errors";
import { requestMetaFrom } from "@/lib/request-meta";
import { auth } from "./index";
import { isRep, scopeForOrg, type Caller, type OrgScope } from "./scope";
import { isLive } from "./sessions";

/** The dashboard's current organization, by slug. Only a hint: access is checked on every request. */
export const ORG_COOKIE = "current-org";

/**
 * The signed-in user, re-read from the database on every request with the session the cookie names (one
 * Prisma query, from the session row): a signed-out or ended session, one past its fixed end, a disabled
 * account, a password change or a role change takes effect at once. `null` when there is no live session.
 */
export const getCaller = cache(async (): Promise<Caller | null> => {
  const session = await auth();
  if (!session?.user?.id || !session.sessionId) return null;
  const row = await db.userSession.findUnique({
    where: { id: session.sessionId },
    include: {
      user: {
        include: {
          memberships: {
            where: { disabledAt: null },
            include: { organization: true },
            orderBy: { createdAt: "asc" },
          },
        },
      },
    },
  });
  if (!row || row.userId !== session.user.id || !isLive(row, row.user)) return null;
  const { user } = row;
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    memberships: user.memberships.map((m) => ({
      id: m.organization.id,
      slug: m.organization.slug,
      name: m.organization.name,
      role: m.role,
    })),
    request: requestMetaFrom(await headers()),
    sessionKey: row.id,
  };
});

export async function requireCaller(): Promise<Caller> {
  const caller = await getCaller();
  if (!caller) throw new UnauthenticatedError();
  return caller;
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

/** For server actions: the organization the dashboard is showing, or "not found" when there is none. */
export async function requireCurrentScope(): Promise<OrgScope> {
  const scope = await currentScope(await requireCaller());
  if (!scope) throw new NotFoundError("Organization");
  return scope;
}
