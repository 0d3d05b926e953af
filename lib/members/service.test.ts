import { beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";

freshTestDatabase();
const { db } = await import("@/lib/db");
const { scopeForOrg } = await import("@/lib/auth/scope");
const { verifyPassword } = await import("@/lib/auth/password");
const { addMember, changeMemberRole, disableMember, listMembers } = await import("./service");
const { createOrganization } = await import("@/lib/organizations/service");
const { ConflictError, ForbiddenError } = await import("@/lib/errors");
type Caller = import("@/lib/auth/scope").Caller;

const request = { requestId: "r", ip: "127.0.0.1", userAgent: "vitest" };
let acme: { id: string; slug: string; name: string };
let admin: Caller, viewer: Caller, rep: Caller;

async function user(email: string, role: "USER" | "REP" = "USER") {
  return db.user.create({ data: { email, name: email.split("@")[0]!, passwordHash: "x", role } });
}

beforeAll(async () => {
  acme = await db.organization.create({
    data: { slug: "acme", name: "Acme" },
    select: { id: true, slug: true, name: true },
  });
  const a = await user("admin@acme.test");
  const v = await user("viewer@acme.test");
  const r = await user("rep@vendor.test", "REP");
  await db.membership.createMany({
    data: [
      { userId: a.id, organizationId: acme.id, role: "ADMIN" },
      { userId: v.id, organizationId: acme.id, role: "VIEWER" },
    ],
  });
  const c = (u: typeof a, m: Caller["memberships"]): Caller => ({
    user: { id: u.id, email: u.email, name: u.name, role: u.role },
    memberships: m,
    request,
  });
  admin = c(a, [{ ...acme, role: "ADMIN" }]);
  viewer = c(v, [{ ...acme, role: "VIEWER" }]);
  rep = c(r, []);
});

describe("members", () => {
  it("adds a new account with a temporary password shown once, stored as argon2id", async () => {
    const scope = await scopeForOrg(admin, "acme");
    const m = await addMember(scope, { email: "New@Acme.test", name: "New", role: "VIEWER" });
    expect(m).toMatchObject({ email: "new@acme.test", role: "VIEWER" });
    expect(m.temporaryPassword).toMatch(/^[\w-]{20}$/);
    const row = await db.user.findUniqueOrThrow({ where: { email: "new@acme.test" } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row.passwordHash, m.temporaryPassword!)).toBe(true);
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "member.added", targetId: row.id },
    });
    expect(event.after).not.toContain(m.temporaryPassword!);
    await expect(
      addMember(scope, { email: "new@acme.test", name: "New", role: "ADMIN" }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("gives an existing account a membership without a password", async () => {
    const other = await db.organization.create({ data: { slug: "other", name: "Other" } });
    const scope = await scopeForOrg(rep, "other");
    const m = await addMember(scope, { email: "viewer@acme.test", name: "Ignored", role: "ADMIN" });
    expect(m.temporaryPassword).toBeUndefined();
    expect(await db.membership.count({ where: { organizationId: other.id } })).toBe(1);
  });

  it("refuses a viewer", async () => {
    const scope = await scopeForOrg(viewer, "acme");
    await expect(addMember(scope, { email: "x@acme.test", name: "X", role: "ADMIN" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
  });

  it("protects the last admin from demotion and disabling, and changes roles", async () => {
    const scope = await scopeForOrg(admin, "acme");
    await expect(changeMemberRole(scope, admin.user.id, "VIEWER")).rejects.toThrow(/last admin/);
    await expect(disableMember(scope, admin.user.id)).rejects.toBeInstanceOf(ConflictError);
    await changeMemberRole(scope, viewer.user.id, "ADMIN");
    await changeMemberRole(scope, admin.user.id, "VIEWER");
    await changeMemberRole(scope, admin.user.id, "ADMIN");
    const changes = await db.auditEvent.count({ where: { action: "member.role_changed" } });
    expect(changes).toBe(3);
  });

  it("disables a membership: when it was their last, every session stops; the account itself stays", async () => {
    const scope = await scopeForOrg(admin, "acme");
    const newcomer = await db.user.findUniqueOrThrow({ where: { email: "new@acme.test" } });
    expect(await disableMember(scope, newcomer.id)).toMatchObject({ sessionsEnded: true });
    const after = await db.user.findUniqueOrThrow({ where: { id: newcomer.id } });
    expect(after).toMatchObject({ disabled: false, sessionVersion: newcomer.sessionVersion + 1 });
    // viewer@acme.test is also an admin of "other": only this membership goes.
    expect(await disableMember(scope, viewer.user.id)).toMatchObject({ sessionsEnded: false });
    const v = await db.user.findUniqueOrThrow({ where: { id: viewer.user.id } });
    expect(v.disabled).toBe(false);
    const list = await listMembers(scope);
    expect(list.find((m) => m.email === "viewer@acme.test")?.disabled).toBe(true);
  });
});

describe("adding an account that already exists", () => {
  let globex: Caller;
  beforeAll(async () => {
    const org = await db.organization.create({
      data: { slug: "globex", name: "Globex" },
      select: { id: true, slug: true, name: true },
    });
    const g = await user("admin@globex.test");
    await db.membership.create({ data: { userId: g.id, organizationId: org.id, role: "ADMIN" } });
    globex = { user: g, memberships: [{ ...org, role: "ADMIN" }], request };
  });

  it("answers with what the adder typed and the membership's id, never the account's name or id", async () => {
    const acme = await scopeForOrg(admin, "acme");
    await addMember(acme, { email: "dana@acme.test", name: "Dana Real-Name", role: "VIEWER" });
    const dana = await db.user.findUniqueOrThrow({ where: { email: "dana@acme.test" } });
    const added = await addMember(await scopeForOrg(globex, "globex"), {
      email: "Dana@Acme.test",
      name: "Typed Name",
      role: "VIEWER",
    });
    const membership = await db.membership.findFirstOrThrow({
      where: { userId: dana.id, organization: { slug: "globex" } },
    });
    expect(added).toEqual({ id: membership.id, email: "dana@acme.test", name: "Typed Name", role: "VIEWER" });
    expect(JSON.stringify(added)).not.toMatch(/Real-Name|${dana.id}/);
    const event = await db.auditEvent.findFirstOrThrow({
      where: { action: "member.added", organizationId: membership.organizationId, targetId: dana.id },
    });
    expect(event.after).not.toContain("Real-Name");
  });

  it("leaves another organization's disabling, and a platform-wide disable, as they were", async () => {
    const acme = await scopeForOrg(admin, "acme");
    await addMember(acme, { email: "erin@acme.test", name: "Erin", role: "VIEWER" });
    const erin = await db.user.findUniqueOrThrow({ where: { email: "erin@acme.test" } });
    await disableMember(acme, erin.id);
    await db.user.update({ where: { id: erin.id }, data: { disabled: true } }); // disabled platform-wide
    const before = await db.user.findUniqueOrThrow({ where: { id: erin.id } });
    await addMember(await scopeForOrg(globex, "globex"), { email: erin.email, name: "E", role: "ADMIN" });
    const after = await db.user.findUniqueOrThrow({ where: { id: erin.id } });
    expect(after).toMatchObject({ disabled: true, sessionVersion: before.sessionVersion, name: "Erin" });
    const inAcme = await db.membership.findFirstOrThrow({
      where: { userId: erin.id, organization: { slug: "acme" } },
    });
    expect(inAcme.disabledAt).not.toBeNull();
  });
});

describe("the last-admin rule under concurrency", () => {
  it("holds when two admins demote (or disable) each other at the same moment", async () => {
    const org = await db.organization.create({
      data: { slug: "race", name: "Race" },
      select: { id: true, slug: true, name: true },
    });
    const [a, b] = [await user("a@race.test"), await user("b@race.test")];
    await db.membership.createMany({
      data: [a, b].map((u) => ({ userId: u.id, organizationId: org.id, role: "ADMIN" as const })),
    });
    const scopeOf = (u: typeof a) =>
      scopeForOrg({ user: u, memberships: [{ ...org, role: "ADMIN" }], request }, "race");
    const [asA, asB] = [await scopeOf(a), await scopeOf(b)];
    const activeAdmins = () =>
      db.membership.count({ where: { organizationId: org.id, role: "ADMIN", disabledAt: null } });
    for (let round = 0; round < 6; round++) {
      const demoteOrDisable = (scope: typeof asA, target: string) =>
        round % 2 === 0 ? changeMemberRole(scope, target, "VIEWER") : disableMember(scope, target);
      const results = await Promise.allSettled([demoteOrDisable(asA, b.id), demoteOrDisable(asB, a.id)]);
      expect(results.map((r) => r.status).sort(), `round ${round}`).toEqual(["fulfilled", "rejected"]);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(ConflictError);
      expect(await activeAdmins()).toBe(1);
      await db.membership.updateMany({
        where: { organizationId: org.id },
        data: { role: "ADMIN", disabledAt: null },
      });
      await db.user.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { disabled: false } });
    }
  });
});

describe("createOrganization", () => {
  it("is for representatives only", async () => {
    await expect(
      createOrganization(admin, { slug: "x", name: "Xx", admin: { email: "x@x.test", name: "X" } }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("creates the organization and its first admin, audited as the rep acting for it", async () => {
    const org = await createOrganization(rep, {
      slug: "initech",
      name: "Initech",
      admin: { email: "boss@initech.test", name: "Bill" },
    });
    expect(org.admin.temporaryPassword).toBeTruthy();
    const events = await db.auditEvent.findMany({
      where: { organizationId: org.id },
      orderBy: { seq: "asc" },
    });
    expect(events.map((e) => e.action)).toEqual(["org.created", "member.added"]);
    for (const e of events)
      expect(e).toMatchObject({ actorUserId: rep.user.id, actorRole: "REP", actingFor: true });
    await expect(
      createOrganization(rep, { slug: "initech", name: "Again", admin: { email: "b@i.test", name: "B" } }),
    ).rejects.toBeInstanceOf(ConflictError);
  });
});
