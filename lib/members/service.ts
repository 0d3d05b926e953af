import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { withAudit, type Audit } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { auditContextOf, requireWrite, type OrgScope } from "@/lib/auth/scope";
import { db, dbProvider, type Tx } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";

/**
 * Members of an organization. Disabling is per membership (`disabledAt`): the member loses this organization
 * at once (the caller ignores disabled memberships); when it was their last active one, their `sessionVersion`
 * is bumped so every session stops on its next request. The account's own `disabled` flag is the platform's,
 * not an organization's: no organization sets it, and none clears it by adding the account again.
 */
export const memberSchema = z.object({
  email: z.string().trim().toLowerCase().email("Enter an email address.").max(254),
  name: z.string().trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
  role: z.enum(["ADMIN", "VIEWER"], { message: "Choose Admin or Viewer." }),
});
const roleSchema = memberSchema.shape.role;

export type MemberView = {
  id: string;
  email: string;
  name: string;
  role: "ADMIN" | "VIEWER";
  disabled: boolean;
  since: Date;
};

export async function countMembers(scope: OrgScope): Promise<number> {
  return db.membership.count({
    where: { organizationId: scope.org.id, disabledAt: null, user: { disabled: false } },
  });
}

export async function listMembers(scope: OrgScope): Promise<MemberView[]> {
  const rows = await db.membership.findMany({
    where: { organizationId: scope.org.id },
    include: { user: { select: { id: true, email: true, name: true, disabled: true } } },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    take: 500,
  });
  return rows.map((m) => ({
    ...m.user,
    disabled: m.user.disabled || m.disabledAt !== null,
    role: m.role,
    since: m.createdAt,
  }));
}

export function parseMember(input: unknown) {
  return parseInput(memberSchema, input);
}

export const generateTemporaryPassword = () => randomBytes(15).toString("base64url");

/**
 * What adding a member answers: the email and name as the adder typed them, and the new membership's id. For
 * an email that already has an account, nothing of that account (its name, its id) comes back: the adder
 * learns no more than that it exists. A new account's temporary password is here once (only its argon2id
 * hash is stored).
 */
export type MemberAdded = {
  id: string;
  email: string;
  name: string;
  role: "ADMIN" | "VIEWER";
  temporaryPassword?: string;
};

/**
 * Gives an email a membership of this organization, creating the account when the email is new, and audits
 * it. An existing account keeps its password, its name and its `disabled` flag: disabling is per membership,
 * and an account disabled platform-wide stays disabled whoever adds it.
 */
export async function addMemberIn(
  tx: Tx,
  audit: Audit,
  organizationId: string,
  input: z.infer<typeof memberSchema>,
): Promise<MemberAdded> {
  const existing = await tx.user.findUnique({ where: { email: input.email } });
  let temporaryPassword: string | undefined;
  let user = existing;
  if (!user) {
    temporaryPassword = generateTemporaryPassword();
    user = await tx.user.create({
      data: { email: input.email, name: input.name, passwordHash: await hashPassword(temporaryPassword) },
    });
  }
  const prior = await tx.membership.findUnique({
    where: { userId_organizationId: { userId: user.id, organizationId } },
  });
  if (prior && !prior.disabledAt) throw new ConflictError(`${input.email} is already a member.`);
  const membership = prior
    ? await tx.membership.update({ where: { id: prior.id }, data: { role: input.role, disabledAt: null } })
    : await tx.membership.create({ data: { userId: user.id, organizationId, role: input.role } });
  await audit({
    action: "member.added",
    organizationId,
    targetType: "user",
    targetId: user.id,
    // The name typed, and only for a new account (where it is the account's): an existing account's own
    // name is not this organization's to read in its trail.
    after: {
      email: input.email,
      ...(!existing && { name: input.name }),
      role: input.role,
      newAccount: !existing,
    },
  });
  return {
    id: membership.id,
    email: input.email,
    name: input.name,
    role: membership.role,
    ...(temporaryPassword && { temporaryPassword }),
  };
}

export async function addMember(scope: OrgScope, input: unknown): Promise<MemberAdded> {
  requireWrite(scope);
  const data = parseMember(input);
  return withAudit(auditContextOf(scope), (tx, audit) => addMemberIn(tx, audit, scope.org.id, data));
}

async function activeMembership(tx: Tx, scope: OrgScope, userId: string) {
  const m = await tx.membership.findFirst({
    where: { organizationId: scope.org.id, userId: String(userId), disabledAt: null },
    include: { user: { select: { email: true } } },
  });
  if (!m) throw new NotFoundError("Member");
  return m;
}

/**
 * Refuses to leave the organization without an active admin. On PostgreSQL two admins demoting each other at
 * once would each count two admins in their own snapshot and both commit: locking the organization's admin
 * memberships first makes the second wait for the first, then count what it left. (SQLite has one writer at a
 * time, and a transaction that read before another's write retries in withAudit.)
 */
async function assertNotLastAdmin(tx: Tx, scope: OrgScope, role: string, verb: string) {
  if (role !== "ADMIN") return;
  if (dbProvider === "postgresql")
    await tx.$queryRaw`SELECT "id" FROM "Membership" WHERE "organizationId" = ${scope.org.id} AND "role" = 'ADMIN' AND "disabledAt" IS NULL FOR UPDATE`;
  const admins = await tx.membership.count({
    where: { organizationId: scope.org.id, role: "ADMIN", disabledAt: null, user: { disabled: false } },
  });
  if (admins <= 1)
    throw new ConflictError(
      `This is the organization's last admin: they cannot be ${verb}. Make another member an admin first.`,
    );
}

export async function changeMemberRole(scope: OrgScope, userId: string, role: unknown) {
  requireWrite(scope);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    // Someone outside this organization is "not found" whatever the input.
    const m = await activeMembership(tx, scope, userId);
    const parsed = roleSchema.safeParse(role);
    if (!parsed.success)
      throw new ValidationError("Choose Admin or Viewer.", { role: ["Choose Admin or Viewer."] });
    if (m.role === parsed.data) return { id: m.userId, role: m.role };
    if (parsed.data !== "ADMIN") await assertNotLastAdmin(tx, scope, m.role, "demoted");
    await tx.membership.update({ where: { id: m.id }, data: { role: parsed.data } });
    await audit({
      action: "member.role_changed",
      organizationId: scope.org.id,
      targetType: "user",
      targetId: m.userId,
      before: { email: m.user.email, role: m.role },
      after: { email: m.user.email, role: parsed.data },
    });
    return { id: m.userId, role: parsed.data };
  });
}

export async function disableMember(scope: OrgScope, userId: string) {
  requireWrite(scope);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const m = await activeMembership(tx, scope, userId);
    await assertNotLastAdmin(tx, scope, m.role, "disabled");
    await tx.membership.update({ where: { id: m.id }, data: { disabledAt: new Date() } });
    const others = await tx.membership.count({
      where: { userId: m.userId, disabledAt: null, organizationId: { not: scope.org.id } },
    });
    const user = await tx.user.findUniqueOrThrow({ where: { id: m.userId } });
    const sessionsEnded = others === 0 && user.role !== "REP";
    if (sessionsEnded)
      await tx.user.update({ where: { id: m.userId }, data: { sessionVersion: { increment: 1 } } });
    await audit({
      action: "member.disabled",
      organizationId: scope.org.id,
      targetType: "user",
      targetId: m.userId,
      before: { email: m.user.email, role: m.role },
      after: { email: m.user.email, role: m.role, disabled: true, sessionsEnded },
    });
    return { id: m.userId, sessionsEnded };
  });
}
