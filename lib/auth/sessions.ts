import "server-only";
import { z } from "zod";
import { withAudit, type AuditContext, type RequestMeta } from "@/lib/audit";
import { db, type Tx } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { SESSION_MAX_AGE_SECONDS } from "./config";
import type { Caller } from "./scope";

/**
 * Browser sessions as rows: made at sign-in, their id carried in the session cookie, checked on every request
 * (lib/auth/caller.ts), ended by sign-out or from Account → Sessions. A session is live while it is not
 * revoked, its fixed end has not passed, and the user's session version is still the one it was made with.
 */
type SessionRow = { revokedAt: Date | null; expiresAt: Date; sessionVersion: number };

export function isLive(session: SessionRow, user: { sessionVersion: number; disabled: boolean }): boolean {
  return (
    !user.disabled &&
    session.revokedAt === null &&
    session.expiresAt.getTime() > Date.now() &&
    session.sessionVersion === user.sessionVersion
  );
}

/** How long an ended session's row is kept (it is deleted at its user's next sign-in after that). */
const KEEP_ENDED_MS = 30 * 24 * 3600_000;

/** Starts a session for a user who just proved their password, inside the sign-in's audited transaction. */
export async function startSession(
  tx: Tx,
  user: { id: string; sessionVersion: number },
  request: RequestMeta,
): Promise<{ id: string; expiresAt: Date }> {
  // So the table holds about one row per recent sign-in; the history stays in the audit trail.
  await tx.userSession.deleteMany({
    where: { userId: user.id, expiresAt: { lt: new Date(Date.now() - KEEP_ENDED_MS) } },
  });
  return tx.userSession.create({
    data: {
      userId: user.id,
      sessionVersion: user.sessionVersion,
      expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000),
      ip: request.ip,
      userAgent: request.userAgent?.slice(0, 512) ?? null,
    },
    select: { id: true, expiresAt: true },
  });
}

/** Sign-out: the session ends for every copy of its cookie. */
export async function endSignedOutSession(ctx: AuditContext, userId: string, sessionId: string | undefined) {
  await withAudit(ctx, async (tx, audit) => {
    if (sessionId)
      await tx.userSession.updateMany({
        where: { id: sessionId, userId, revokedAt: null },
        data: { revokedAt: new Date() },
      });
    await audit({ action: "auth.sign_out", organizationId: null, targetType: "user", targetId: userId });
  });
}

export type SessionView = {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
};

/** The caller's live sessions, newest first, the one making this request marked. */
export async function listOwnSessions(caller: Caller): Promise<SessionView[]> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: caller.user.id },
    select: {
      sessionVersion: true,
      disabled: true,
      sessions: {
        where: { revokedAt: null, expiresAt: { gt: new Date() } },
        orderBy: { createdAt: "desc" },
        take: 100,
      },
    },
  });
  return user.sessions
    .filter((s) => isLive(s, user))
    .map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      expiresAt: s.expiresAt,
      ip: s.ip,
      userAgent: s.userAgent,
      current: s.id === caller.sessionKey,
    }));
}

const sessionIdSchema = z.string().min(1).max(200);

/** Ends one of the caller's own sessions; anyone else's, or one already ended, is "not found". */
export async function endOwnSession(caller: Caller, id: unknown): Promise<void> {
  const parsed = sessionIdSchema.safeParse(id);
  if (!parsed.success) throw new NotFoundError("Session");
  const ended = await endSessions(caller, { id: parsed.data }, "ended");
  if (ended === 0) throw new NotFoundError("Session");
}

/** "Sign out everywhere else": every live session of the caller but the one making this request. */
export async function endOtherSessions(caller: Caller): Promise<number> {
  return endSessions(caller, caller.sessionKey ? { id: { not: caller.sessionKey } } : {}, "ended_others");
}

async function endSessions(caller: Caller, which: { id?: string | { not: string } }, reason: string) {
  const ctx: AuditContext = {
    actor: { userId: caller.user.id, email: caller.user.email, role: caller.user.role, actingFor: false },
    request: caller.request,
  };
  return withAudit(ctx, async (tx, audit) => {
    const sessions = await tx.userSession.findMany({
      where: { ...which, userId: caller.user.id, revokedAt: null, expiresAt: { gt: new Date() } },
      select: { id: true, createdAt: true, ip: true, userAgent: true },
    });
    const now = new Date();
    let ended = 0;
    for (const s of sessions) {
      // Only a row still open is ended (and audited): two "End" clicks racing end it once.
      const { count } = await tx.userSession.updateMany({
        where: { id: s.id, revokedAt: null },
        data: { revokedAt: now },
      });
      if (count === 0) continue;
      ended++;
      await audit({
        action: "auth.session_ended",
        organizationId: null,
        targetType: "session",
        targetId: s.id,
        before: { createdAt: s.createdAt.toISOString(), ip: s.ip, userAgent: s.userAgent },
        after: { reason },
      });
    }
    return ended;
  });
}
