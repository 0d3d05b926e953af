import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";

freshTestDatabase();
const { db } = await import("@/lib/db");
const { scopeForOrg, requireWrite } = await import("@/lib/auth/scope");
const { callerForToken, createToken, listTokens, revokeToken } = await import("./service");
const { ForbiddenError, NotFoundError } = await import("@/lib/errors");
type Caller = import("@/lib/auth/scope").Caller;

const request = { requestId: "r", ip: "127.0.0.1", userAgent: "vitest" };
let admin: Caller, viewer: Caller;
let viewerId: string;

beforeAll(async () => {
  const acme = await db.organization.create({
    data: { slug: "acme", name: "Acme" },
    select: { id: true, slug: true, name: true },
  });
  await db.organization.create({ data: { slug: "globex", name: "Globex" } });
  const a = await db.user.create({ data: { email: "a@acme.test", name: "A", passwordHash: "x" } });
  const v = await db.user.create({ data: { email: "v@acme.test", name: "V", passwordHash: "x" } });
  viewerId = v.id;
  await db.membership.create({ data: { userId: a.id, organizationId: acme.id, role: "ADMIN" } });
  await db.membership.create({ data: { userId: v.id, organizationId: acme.id, role: "VIEWER" } });
  admin = { user: { ...a, role: "USER" }, memberships: [{ ...acme, role: "ADMIN" }], request };
  viewer = { user: { ...v, role: "USER" }, memberships: [{ ...acme, role: "VIEWER" }], request };
});

describe("personal access tokens", () => {
  it("are 256 random bits behind sc_pat_, stored only as a SHA-256, audited without the value", async () => {
    const scope = await scopeForOrg(admin, "acme");
    const t = await createToken(scope, { name: "CI", access: "WRITE", expiresInDays: "30" });
    expect(t.token).toMatch(/^sc_pat_[\w-]{43}$/);
    const row = await db.personalAccessToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(t.token).digest("hex"));
    expect(t.token.startsWith(row.prefix)).toBe(true);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "token.created" } });
    expect(JSON.stringify(audit)).not.toContain(t.token);
    expect((await listTokens(scope))[0]).not.toHaveProperty("tokenHash");
  });

  it("authenticate as their user in their organization only, with last use recorded", async () => {
    const t = await createToken(await scopeForOrg(admin, "acme"), { name: "rw", access: "WRITE" });
    const caller = await callerForToken(t.token, request);
    expect(caller).toMatchObject({ access: "write", memberships: [{ slug: "acme", role: "ADMIN" }] });
    expect((await scopeForOrg(caller!, "acme")).canWrite).toBe(true);
    await expect(scopeForOrg(caller!, "globex")).rejects.toBeInstanceOf(NotFoundError);
    const row = await db.personalAccessToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.lastUsedAt).not.toBeNull();
    await callerForToken(t.token, request);
    const again = await db.personalAccessToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(again.lastUsedAt).toEqual(row.lastUsedAt);
  });

  it("read-only tokens cannot write", async () => {
    const t = await createToken(await scopeForOrg(admin, "acme"), { name: "ro", access: "READ" });
    const scope = await scopeForOrg((await callerForToken(t.token, request))!, "acme");
    expect(scope.canWrite).toBe(false);
    expect(() => requireWrite(scope)).toThrow(/read-only/);
  });

  it("stop when revoked or expired, or when the user is disabled", async () => {
    const scope = await scopeForOrg(admin, "acme");
    const t = await createToken(scope, { name: "gone", access: "WRITE" });
    await revokeToken(scope, t.id);
    expect(await callerForToken(t.token, request)).toBeNull();
    const e = await createToken(scope, { name: "old", access: "WRITE" });
    await db.personalAccessToken.update({
      where: { id: e.id },
      data: { expiresAt: new Date(Date.now() - 1) },
    });
    expect(await callerForToken(e.token, request)).toBeNull();
    expect(await callerForToken("sc_pat_nope", request)).toBeNull();
    const u = await createToken(scope, { name: "u", access: "READ" });
    await db.user.update({ where: { id: admin.user.id }, data: { disabled: true } });
    expect(await callerForToken(u.token, request)).toBeNull();
    await db.user.update({ where: { id: admin.user.id }, data: { disabled: false } });
    expect(viewerId).toBeTruthy();
  });

  it("lets a viewer make, see and revoke read-only tokens of their own only", async () => {
    const adminScope = await scopeForOrg(admin, "acme");
    const viewerScope = await scopeForOrg(viewer, "acme");
    await expect(createToken(viewerScope, { name: "vw", access: "WRITE" })).rejects.toMatchObject({
      fieldErrors: { access: ["Viewers can create read-only tokens."] },
    });
    const own = await createToken(viewerScope, { name: "viewer-script", access: "READ" });
    const adminToken = await createToken(adminScope, { name: "admin-script", access: "WRITE" });
    const names = (await listTokens(viewerScope)).map((t) => t.name);
    expect(names).toContain("viewer-script");
    expect(names).not.toContain("admin-script");
    await expect(revokeToken(viewerScope, adminToken.id)).rejects.toBeInstanceOf(NotFoundError);
    await revokeToken(viewerScope, own.id);
    expect(await callerForToken(own.token, request)).toBeNull();
    // A read-only token may not make another.
    const reader = (await callerForToken(
      (await createToken(adminScope, { name: "r", access: "READ" })).token,
      request,
    ))!;
    await expect(
      createToken(await scopeForOrg(reader, "acme"), { name: "x", access: "READ" }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
