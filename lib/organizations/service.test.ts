import { beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";

freshTestDatabase();
const { db } = await import("@/lib/db");
const { scopeForOrg } = await import("@/lib/auth/scope");
const { updateOrganizationSettings } = await import("./service");
const { ForbiddenError, NotFoundError, ValidationError } = await import("@/lib/errors");
type Caller = import("@/lib/auth/scope").Caller;

const request = { requestId: "r", ip: "127.0.0.1", userAgent: "vitest" };
let acme: { id: string; slug: string; name: string };
let admin: Caller, viewer: Caller, outsider: Caller, rep: Caller;

function caller(id: string, role: "USER" | "REP", memberships: Caller["memberships"]): Caller {
  return { user: { id, email: `${id}@test`, name: id, role }, memberships, request };
}

beforeAll(async () => {
  acme = await db.organization.create({
    data: { slug: "acme", name: "Acme Media" },
    select: { id: true, slug: true, name: true },
  });
  const globex = await db.organization.create({
    data: { slug: "globex", name: "Globex" },
    select: { id: true, slug: true, name: true },
  });
  admin = caller("admin", "USER", [{ ...acme, role: "ADMIN" }]);
  viewer = caller("viewer", "USER", [{ ...acme, role: "VIEWER" }]);
  outsider = caller("outsider", "USER", [{ ...globex, role: "ADMIN" }]);
  rep = caller("rep", "REP", []);
});

describe("organization scope", () => {
  it("gives members their role and representatives write access, acting for the organization", async () => {
    expect(await scopeForOrg(admin, "acme")).toMatchObject({
      role: "ADMIN",
      canWrite: true,
      actingFor: false,
    });
    expect(await scopeForOrg(viewer, "acme")).toMatchObject({
      role: "VIEWER",
      canWrite: false,
      actingFor: false,
    });
    expect(await scopeForOrg(rep, "acme")).toMatchObject({ role: null, canWrite: true, actingFor: true });
  });

  it("answers not-found for another organization, and for one that does not exist", async () => {
    await expect(scopeForOrg(outsider, "acme")).rejects.toBeInstanceOf(NotFoundError);
    await expect(scopeForOrg(admin, "nope")).rejects.toBeInstanceOf(NotFoundError);
    await expect(scopeForOrg(rep, "nope")).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("updateOrganizationSettings", () => {
  it("refuses a viewer and changes nothing", async () => {
    const scope = await scopeForOrg(viewer, "acme");
    await expect(updateOrganizationSettings(scope, { name: "Hijacked" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await db.organization.findUniqueOrThrow({ where: { id: acme.id } })).name).toBe("Acme Media");
    expect(await db.auditEvent.count({ where: { organizationId: acme.id } })).toBe(0);
  });

  it("rejects a bad name with a field error and changes nothing", async () => {
    const scope = await scopeForOrg(admin, "acme");
    const error = await updateOrganizationSettings(scope, { name: " " }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors.name).toEqual(["Use at least 2 characters."]);
    expect(await db.auditEvent.count({ where: { organizationId: acme.id } })).toBe(0);
  });

  it("renames for an admin and records who, before and after", async () => {
    await updateOrganizationSettings(await scopeForOrg(admin, "acme"), { name: "Acme Media Group" });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: acme.id, action: "org.updated" },
    });
    expect(event).toMatchObject({
      actorUserId: "admin",
      actorRole: "ADMIN",
      actingFor: false,
      before: '{"name":"Acme Media","tokenLifetimeSeconds":21600}',
      after: '{"name":"Acme Media Group","tokenLifetimeSeconds":21600}',
    });
  });

  it("records a representative as themselves, on behalf of the organization", async () => {
    await updateOrganizationSettings(await scopeForOrg(rep, "acme"), { name: "Acme Media" });
    const event = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: acme.id, actorUserId: "rep" },
    });
    expect(event).toMatchObject({ actorRole: "REP", actingFor: true, action: "org.updated" });
  });
});

describe("access token lifetime setting", () => {
  it("accepts 5 minutes to 24 hours and records the change", async () => {
    const scope = await scopeForOrg(admin, "acme");
    const tooShort = await updateOrganizationSettings(scope, {
      name: "Acme Media",
      tokenLifetimeSeconds: "60",
    }).catch((e) => e);
    expect(tooShort).toBeInstanceOf(ValidationError);
    expect(tooShort.fieldErrors.tokenLifetimeSeconds).toEqual(["Use at least 300 seconds (5 minutes)."]);

    await updateOrganizationSettings(scope, { name: "Acme Media", tokenLifetimeSeconds: "3600" });
    expect((await db.organization.findUniqueOrThrow({ where: { id: acme.id } })).tokenLifetimeSeconds).toBe(
      3600,
    );
    const event = await db.auditEvent.findFirstOrThrow({
      where: { organizationId: acme.id, action: "org.updated" },
      orderBy: { seq: "desc" },
    });
    expect(JSON.parse(event.before!)).toMatchObject({ tokenLifetimeSeconds: 21600 });
    expect(JSON.parse(event.after!)).toMatchObject({ tokenLifetimeSeconds: 3600 });
  });
});
