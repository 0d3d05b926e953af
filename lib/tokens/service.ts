import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import { auditContextOf, requireWrite, type Caller, type OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import type { RequestMeta } from "@/lib/audit";
import { parseInput } from "@/lib/validation";

/** Personal access tokens for the admin API: 256 random bits behind a recognisable prefix, stored hashed. */
export const TOKEN_PREFIX = "sc_pat_";
const SHOWN_PREFIX_LENGTH = TOKEN_PREFIX.length + 6;
/** `lastUsedAt` is written at most this often per token, so a busy script does not write on every call. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function looksLikeToken(value: string): boolean {
  return /^sc_pat_[A-Za-z0-9_-]{43}$/.test(value);
}

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name.").max(100, "Use at most 100 characters."),
  access: z.enum(["READ", "WRITE"], { message: "Choose read-only or read-write." }),
  expiresInDays: z.coerce
    .number({ message: "Enter a number of days." })
    .int("Enter a whole number of days.")
    .min(1, "Use at least 1 day.")
    .max(3650, "Use at most 3650 days.")
    .optional(),
});

export type TokenView = {
  id: string;
  name: string;
  prefix: string;
  access: "READ" | "WRITE";
  userEmail: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
};

/**
 * Who manages which tokens: admins (and representatives) all of the organization's; a viewer their own, and only
 * read-only ones, so a script of theirs can read what they can. A read-only token itself changes nothing.
 */
function tokenScope(scope: OrgScope): { all: boolean; where: { organizationId: string; userId?: string } } {
  if (scope.canWrite) return { all: true, where: { organizationId: scope.org.id } };
  if (scope.caller.access === "read") requireWrite(scope);
  if (scope.role !== "VIEWER") throw new ForbiddenError();
  return { all: false, where: { organizationId: scope.org.id, userId: scope.caller.user.id } };
}

const VIEWER_READ_ONLY = "Viewers can create read-only tokens.";

export async function listTokens(scope: OrgScope): Promise<TokenView[]> {
  const rows = await db.personalAccessToken.findMany({
    where: tokenScope(scope).where,
    include: { user: { select: { email: true } } },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows.map(({ user, tokenHash: _hash, userId: _u, organizationId: _o, ...t }) => ({
    ...t,
    userEmail: user.email,
  }));
}

/** Creates a token for the caller in this organization. The token itself is returned once, never stored. */
export async function createToken(scope: OrgScope, input: unknown) {
  const { all } = tokenScope(scope);
  const { name, access, expiresInDays } = parseInput(createTokenSchema, input);
  if (!all && access !== "READ") throw new ValidationError(VIEWER_READ_ONLY, { access: [VIEWER_READ_ONLY] });
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const row = await tx.personalAccessToken.create({
      data: {
        organizationId: scope.org.id,
        userId: scope.caller.user.id,
        name,
        prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
        tokenHash: hashToken(token),
        access,
        expiresAt,
      },
    });
    await audit({
      action: "token.created",
      organizationId: scope.org.id,
      targetType: "token",
      targetId: row.id,
      after: { name, prefix: row.prefix, access, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { id: row.id, name, prefix: row.prefix, access, expiresAt, token };
  });
}

export async function revokeToken(scope: OrgScope, id: string): Promise<void> {
  const { where } = tokenScope(scope);
  await withAudit(auditContextOf(scope), async (tx, audit) => {
    // The id comes from a form or a server action's arguments: whatever its type, it only ever matches a string.
    const row = await tx.personalAccessToken.findFirst({
      where: { id: String(id), ...where },
    });
    if (!row) throw new NotFoundError("Token");
    if (row.revokedAt) return;
    await tx.personalAccessToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    await audit({
      action: "token.revoked",
      organizationId: scope.org.id,
      targetType: "token",
      targetId: row.id,
      before: { name: row.name, prefix: row.prefix, access: row.access },
    });
  });
}

/**
 * The caller a bearer token stands for, or `null` when it is unknown, revoked, expired, or its user is
 * disabled. Its only organization is the token's: the membership is re-read, so a demoted or removed member's
 * token loses what the member lost.
 */
export async function callerForToken(token: string, request: RequestMeta): Promise<Caller | null> {
  if (!looksLikeToken(token)) return null;
  const row = await db.personalAccessToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: {
      organization: { select: { id: true, slug: true, name: true } },
      user: {
        include: {
          memberships: { where: { disabledAt: null }, select: { organizationId: true, role: true } },
        },
      },
    },
  });
  const now = new Date();
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || row.user.disabled) return null;
  const membership = row.user.memberships.find((m) => m.organizationId === row.organizationId);
  if (!membership && row.user.role !== "REP") return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.personalAccessToken.updateMany({
      where: {
        id: row.id,
        OR: [
          { lastUsedAt: null },
          { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } },
        ],
      },
      data: { lastUsedAt: now },
    });
  }
  const { user } = row;
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    memberships: membership ? [{ ...row.organization, role: membership.role }] : [],
    request,
    access: row.access === "READ" ? "read" : "write",
    onlyOrgId: row.organizationId,
    sessionKey: `token:${row.id}`,
  };
}
