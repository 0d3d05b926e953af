import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";
import { insertToken } from "@/test/harness/tokens";

/** Personal access tokens on the admin API, and the members and organizations endpoints. */
const baseUrl = inject("baseUrl");
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
function call(token: string, method: string, path: string, body?: unknown) {
  return fetch(`${baseUrl}/api/admin/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const app = { name: "PAT app", version: "1.0.0", platforms: ["Web"], domains: ["pat.example.com"] };
let write: string, read: string;

beforeAll(async () => {
  write = await insertToken(serverDb, "admin@acme.test", "acme", "WRITE");
  read = await insertToken(serverDb, "admin@acme.test", "acme", "READ");
});

describe("personal access tokens", () => {
  it("authenticate reads and, without any Origin header, writes; last use is recorded", async () => {
    expect((await call(write, "GET", "/orgs/acme/applications")).status).toBe(200);
    expect((await call(write, "POST", "/orgs/acme/applications", app)).status).toBe(201);
    const row = await serverDb.get<{ lastUsedAt: Date | null }>(
      `SELECT "lastUsedAt" FROM "PersonalAccessToken" WHERE "tokenHash" = ?`,
      sha256(write),
    );
    expect(row!.lastUsedAt).toBeInstanceOf(Date);
    const orgs = (await (await call(write, "GET", "/orgs")).json()) as { items: { slug: string }[] };
    expect(orgs.items.map((o) => o.slug)).toEqual(["acme"]);
  });

  it("a read-only token is refused any change with 403", async () => {
    expect((await call(read, "GET", "/orgs/acme/applications")).status).toBe(200);
    const res = await call(read, "POST", "/orgs/acme/applications", app);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "forbidden", message: /read-only/ } });
  });

  it("another organization is a 404, even for a representative's token", async () => {
    expect((await call(write, "GET", "/orgs/globex/applications")).status).toBe(404);
    const rep = await insertToken(serverDb, "rep@support.test", "acme", "WRITE");
    expect((await call(rep, "GET", "/orgs/acme/applications")).status).toBe(200);
    expect((await call(rep, "GET", "/orgs/globex/applications")).status).toBe(404);
    const org = { slug: "viatoken", name: "Via token", admin: { email: "a@viatoken.test", name: "A" } };
    expect((await call(rep, "POST", "/orgs", org)).status).toBe(403);
  });

  it("revoked, expired, unknown or malformed tokens are 401", async () => {
    const revoked = await insertToken(serverDb, "admin@acme.test", "acme", "WRITE", {
      revokedAt: new Date(),
    });
    const expired = await insertToken(serverDb, "admin@acme.test", "acme", "WRITE", {
      expiresAt: new Date(Date.now() - 1000),
    });
    for (const token of [revoked, expired, "sc_pat_" + "x".repeat(43), "nonsense"])
      expect((await call(token, "GET", "/orgs/acme/applications")).status).toBe(401);
    const basic = await fetch(`${baseUrl}/api/admin/v1/orgs`, { headers: { authorization: "Basic eDp5" } });
    expect(basic.status).toBe(401);
  });
});

describe("members and organizations", () => {
  it("an admin adds a member (a temporary password once), sees them listed, cannot demote the last admin", async () => {
    const http = new HttpSession();
    await http.signIn("admin@globex.test", inject("seedPassword"));
    const post = (path: string, body: unknown) =>
      http.fetch(`/api/admin/v1${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: baseUrl },
        body: JSON.stringify(body),
      });
    const res = await post("/orgs/globex/members", { email: "ops@globex.test", name: "Ops", role: "VIEWER" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { temporaryPassword?: string; role: string };
    expect(body).toMatchObject({ role: "VIEWER", temporaryPassword: expect.any(String) });
    const list = (await (await http.fetch("/api/admin/v1/orgs/globex/members")).json()) as {
      items: { email: string }[];
    };
    expect(list.items.map((m) => m.email)).toContain("ops@globex.test");
    const again = await post("/orgs/globex/members", {
      email: "ops@globex.test",
      name: "Ops",
      role: "ADMIN",
    });
    expect(again.status).toBe(409);
    expect((await post("/orgs/globex/members", { email: "nope", name: "", role: "OWNER" })).status).toBe(400);
    expect(
      (await post("/orgs", { slug: "mine", name: "Mine", admin: { email: "m@m.test", name: "M" } })).status,
    ).toBe(403);
  });

  it("a representative creates an organization with its first admin", async () => {
    const http = new HttpSession();
    await http.signIn("rep@support.test", inject("seedPassword"));
    const res = await http.fetch("/api/admin/v1/orgs", {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl },
      body: JSON.stringify({
        slug: "umbrella",
        name: "Umbrella",
        admin: { email: "boss@umbrella.test", name: "Boss" },
      }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      slug: "umbrella",
      admin: { temporaryPassword: expect.any(String) },
    });
    const events = await serverDb.all(
      `SELECT "action", "actorEmail", "actingFor" FROM "AuditEvent"
       WHERE "organizationId" = (SELECT "id" FROM "Organization" WHERE "slug" = 'umbrella') ORDER BY "seq"`,
    );
    expect(events).toEqual([
      { action: "org.created", actorEmail: "rep@support.test", actingFor: true },
      { action: "member.added", actorEmail: "rep@support.test", actingFor: true },
    ]);
  });
});
