import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { auditContextOf, requireWrite, type OrgScope } from "@/lib/auth/scope";
import { db, type Tx } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";

/**
 * Members of an organization. Disabling is per membership (`disabledAt`): the member loses this organization
 * at once (the caller ignores disabled memberships); when it was their last active one, the account itself is
 * disabled and its `sessionVersion` bumped so every session stops on its next request.
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
  const parsed = memberSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError("Check the highlighted fields.", z.flattenError(parsed.error).fieldErrors);
  return parsed.data;
}

export const generateTemporaryPassword = () => randomBytes(15).toString("base64url");

/**
 * Gives an email a membership, creating the account when the email is new. A new account's temporary
 * password is returned once (only its argon2id hash is stored); an existing account keeps its password.
 */
export async function addMemberIn(tx: Tx, organizationId: string, input: z.infer<typeof memberSchema>) {
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
  if (user.disabled)
    user = await tx.user.update({
      where: { id: user.id },
      data: { disabled: false, sessionVersion: { increment: 1 } },
    });
  return { user, membership, created: !existing, temporaryPassword };
}

export async function addMember(scope: OrgScope, input: unknown) {
  requireWrite(scope);
  const data = parseMember(input);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const { user, membership, created, temporaryPassword } = await addMemberIn(tx, scope.org.id, data);
    await audit({
      action: "member.added",
      organizationId: scope.org.id,
      targetType: "user",
      targetId: user.id,
      after: { email: user.email, name: user.name, role: membership.role, newAccount: created },
    });
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: membership.role,
      ...(temporaryPassword && { temporaryPassword }),
    };
  });
}

async function activeMembership(tx: Tx, scope: OrgScope, userId: string) {
  const m = await tx.membership.findFirst({
    where: { organizationId: scope.org.id, userId: String(userId), disabledAt: null },
    include: { user: { select: { email: true } } },
  });
  if (!m) throw new NotFoundError("Member");
  return m;
}

async function assertNotLastAdmin(tx: Tx, scope: OrgScope, role: string, verb: string) {
  if (role !== "ADMIN") return;
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
    const accountDisabled = others === 0 && user.role !== "REP";
    if (accountDisabled)
      await tx.user.update({
        where: { id: m.userId },
        data: { disabled: true, sessionVersion: { increment: 1 } },
      });
    await audit({
      action: "member.disabled",
      organizationId: scope.org.id,
      targetType: "user",
      targetId: m.userId,
      before: { email: m.user.email, role: m.role },
      after: { email: m.user.email, role: m.role, disabled: true, accountDisabled },
    });
    return { id: m.userId, accountDisabled };
  });
}
