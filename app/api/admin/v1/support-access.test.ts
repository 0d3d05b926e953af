import { createHash, randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";
import { insertUser } from "@/test/harness/users";

/**
 * A support representative's reads of an organization leave a trace on that organization's audit chain: one
 * `support.accessed` event per representative session (or access token) and organization, whatever the entry
 * (admin API, a page with the organization chosen), however many requests and however concurrent.
 */
const password = inject("seedPassword");
const sql = await openServerSql();
let repEmail: string;
let repId: string;
const orgs: Record<string, string> = {};
afterAll(() => sql.close());

beforeAll(async () => {
  // A representative of this file's own, so that no other test's reads are counted here.
  ({ id: repId, email: repEmail } = await insertUser(sql, {
    email: `support-${randomUUID()}@support.test`,
    password,
    role: "REP",
  }));
  for (const slug of ["acme", "globex"])
    orgs[slug] = (await sql.get<{ id: string }>(
      `SELECT "id" FROM "Organization" WHERE "slug" = ?`,
      slug,
    ))!.id;
});

const accessEvents = (slug: string, actorEmail = repEmail) =>
  sql.all<{ chain: string; actingFor: boolean; targetId: string }>(
    `SELECT "chain", "actingFor", "targetId" FROM "AuditEvent" WHERE "action" = 'support.accessed' AND "organizationId" = ? AND "actorEmail" = ?`,
    orgs[slug],
    actorEmail,
  );

async function repSession(): Promise<HttpSession> {
  const http = new HttpSession();
  expect((await http.signIn(repEmail, password)).headers.get("location")).not.toContain("error");
  return http;
}

describe("support.accessed", () => {
  it("is recorded once per session and organization, whatever the entry", async () => {
    const rep = await repSession();
    expect((await rep.fetch("/api/admin/v1/orgs/globex/members")).status).toBe(200);
    expect((await rep.fetch("/api/admin/v1/orgs/globex/audit")).status).toBe(200);
    rep.setCookie("current-org", "globex");
    const page = await rep.fetch("/applications");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Globex");
    const events = await accessEvents("globex");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ chain: `org:${orgs.globex}`, actingFor: true, targetId: orgs.globex });

    // Another organization in the same session is another event, on its own chain.
    expect((await rep.fetch("/api/admin/v1/orgs/acme/statements")).status).toBe(200);
    expect(await accessEvents("acme")).toHaveLength(1);
  });

  it("a new session is recorded again; concurrent first reads record it once", async () => {
    const before = (await accessEvents("globex")).length;
    const rep = await repSession();
    const statuses = await Promise.all(
      Array.from({ length: 12 }, () =>
        rep.fetch("/api/admin/v1/orgs/globex/registrations").then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await accessEvents("globex")).toHaveLength(before + 1);
  });

  it("an access token is keyed like a session: once per token", async () => {
    const token = "sc_pat_" + randomBytes(32).toString("base64url");
    await sql.run(
      `INSERT INTO "PersonalAccessToken" ("id", "organizationId", "userId", "name", "prefix", "tokenHash", "access") VALUES (?, ?, ?, 'support', ?, ?, 'READ')`,
      randomUUID(),
      orgs.acme,
      repId,
      token.slice(0, 13),
      createHash("sha256").update(token).digest("hex"),
    );
    const before = (await accessEvents("acme")).length;
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${inject("baseUrl")}/api/admin/v1/orgs/acme/applications`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
    }
    expect(await accessEvents("acme")).toHaveLength(before + 1);
  });

  it("is not recorded for a member reading their own organization", async () => {
    const admin = new HttpSession();
    await admin.signIn("admin@globex.test", password);
    expect((await admin.fetch("/api/admin/v1/orgs/globex/members")).status).toBe(200);
    expect((await admin.fetch("/")).status).toBe(200);
    expect(await accessEvents("globex", "admin@globex.test")).toHaveLength(0);
  });
});
