import { describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";
import type { OrgScope } from "@/lib/auth/scope";

freshTestDatabase();
const { db } = await import("@/lib/db");
const { listRegistrations } = await import("./service");

const scopeOf = (org: { id: string; slug: string; name: string }): OrgScope => ({
  caller: {
    user: { id: "u", email: "viewer@test", name: "Viewer", role: "USER" },
    memberships: [{ ...org, role: "VIEWER" }],
    request: { requestId: null, ip: null, userAgent: null },
  },
  org,
  role: "VIEWER",
  actingFor: false,
  canWrite: false,
});

/** An organization with one application, `statements` statements, and `perStatement` registrations each. */
async function organization(slug: string, statuses: ("ACTIVE" | "REVOKED")[], perStatement: number) {
  const org = await db.organization.create({ data: { slug, name: slug } });
  const app = await db.application.create({
    data: {
      organizationId: org.id,
      name: `${slug} app`,
      version: "1",
      platforms: "[]",
      domains: "[]",
      scopes: "[]",
    },
  });
  const base = Date.parse("2026-01-01T00:00:00Z");
  const statements = [];
  for (const [i, status] of statuses.entries()) {
    const statement = await db.softwareStatement.create({
      data: {
        organizationId: org.id,
        applicationId: app.id,
        jwt: `${slug}.${i}`,
        header: "{}",
        claims: "{}",
        fingerprint: `${slug}-${i}`,
        issuer: "https://issuer.test",
        algorithm: "RS256",
        origin: "UPLOADED",
        status,
      },
    });
    statements.push(statement);
    // Interleaved in time across statements, with ties on createdAt so the id decides the order.
    await db.clientRegistration.createMany({
      data: Array.from({ length: perStatement }, (_, n) => ({
        clientId: `${slug}-${i}-${n}`,
        secretHash: "00",
        organizationId: org.id,
        statementId: statement.id,
        applicationId: app.id,
        platform: n % 2 ? "tvOS" : "Roku",
        createdAt: new Date(base + Math.floor((n * statuses.length + i) / 3) * 1000),
      })),
    });
  }
  return { scope: scopeOf(org), statements };
}

async function everyPage(scope: OrgScope, filter: Record<string, string>, limit = 7) {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRegistrations(scope, { ...filter, limit, cursor });
    seen.push(...page.items.map((r) => r.clientId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return seen;
}

async function expected(organizationId: string, where: object) {
  const rows = await db.clientRegistration.findMany({
    where: { organizationId, ...where },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { clientId: true },
  });
  return rows.map((r) => r.clientId);
}

describe("listRegistrations by statement status", () => {
  it("pages through each status in the same order as the unfiltered list, statement by statement merged", async () => {
    const { scope, statements } = await organization("merge", ["ACTIVE", "REVOKED", "ACTIVE", "REVOKED"], 23);
    await organization("other", ["ACTIVE", "REVOKED"], 5); // never listed for "merge"
    const [a0, r1, a2, r3] = statements.map((s) => s!.id);
    expect(await everyPage(scope, { status: "active" })).toEqual(
      await expected(scope.org.id, { statementId: { in: [a0, a2] } }),
    );
    expect(await everyPage(scope, { status: "cut_off" })).toEqual(
      await expected(scope.org.id, { statementId: { in: [r1, r3] } }),
    );
    expect(await everyPage(scope, { status: "cut_off", platform: "tvOS" })).toEqual(
      await expected(scope.org.id, { statementId: { in: [r1, r3] }, platform: "tvOS" }),
    );
    expect(await everyPage(scope, { status: "cut_off", statementId: a0! })).toEqual([]);
    expect(await everyPage(scope, { status: "active", statementId: a2! })).toEqual(
      await expected(scope.org.id, { statementId: a2 }),
    );
  });

  it("falls back to one walk of the organization's index when many statements have that status", async () => {
    const { scope } = await organization(
      "many",
      Array.from({ length: 22 }, () => "REVOKED" as const),
      2,
    );
    const listed = await everyPage(scope, { status: "cut_off" }, 5);
    expect(listed).toHaveLength(44);
    expect(listed).toEqual(await expected(scope.org.id, {}));
    expect(await everyPage(scope, { status: "active" })).toEqual([]);
  });
});
