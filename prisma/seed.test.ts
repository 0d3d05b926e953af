import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";

freshTestDatabase();
const { db } = await import("@/lib/db");
const { verifyAuditChain } = await import("@/lib/audit");

function seed(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "prisma/seed.ts", ...args],
    {
      env: { ...process.env, SEED_PASSWORD: "seed-test-password" },
      encoding: "utf8",
    },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

describe("seed", () => {
  it("creates the demo organizations and accounts, announcing them once", async () => {
    const out = seed("--if-empty");
    for (const email of ["admin@acme.test", "viewer@acme.test", "admin@globex.test", "rep@support.test"]) {
      expect(out).toContain(email);
    }
    expect(
      (await db.organization.findMany({ orderBy: { slug: "asc" } })).map((o) => [o.slug, o.name]),
    ).toEqual([
      ["acme", "Acme Media"],
      ["globex", "Globex Broadcasting"],
    ]);
    const rep = await db.user.findUniqueOrThrow({
      where: { email: "rep@support.test" },
      include: { memberships: true },
    });
    expect(rep.role).toBe("REP");
    expect(rep.memberships).toEqual([]);
    const viewer = await db.user.findUniqueOrThrow({
      where: { email: "viewer@acme.test" },
      include: { memberships: true },
    });
    expect(viewer.memberships.map((m) => m.role)).toEqual(["VIEWER"]);
    expect(viewer.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("is idempotent: a second run adds nothing and announces nothing", async () => {
    const before = { users: await db.user.count(), events: await db.auditEvent.count() };
    expect(seed()).not.toContain("Demo accounts");
    expect({ users: await db.user.count(), events: await db.auditEvent.count() }).toEqual(before);
  });

  it("leaves every audit chain of the seeded database intact", async () => {
    const orgs = await db.organization.findMany();
    for (const org of orgs) expect(await verifyAuditChain(org.id)).toMatchObject({ ok: true });
    expect(await verifyAuditChain(null)).toMatchObject({ ok: true });
    const total = await db.auditEvent.count();
    const checked = (await Promise.all([...orgs.map((o) => o.id), null].map(verifyAuditChain))).reduce(
      (n, r) => n + r.checked,
      0,
    );
    expect(checked).toBe(total);
  });

  it("registers each demo application only from devices of its own platforms", async () => {
    const registrations = await db.clientRegistration.findMany({
      select: { platform: true, deviceModel: true, application: { select: { name: true, platforms: true } } },
    });
    expect(registrations.length).toBeGreaterThan(0);
    for (const r of registrations)
      expect(JSON.parse(r.application.platforms), `${r.deviceModel} in ${r.application.name}`).toContain(
        r.platform,
      );
  });
});
