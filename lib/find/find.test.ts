import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { acmeCallers, freshApplication, orgPost } from "@/test/harness/org-api";
import { openServerSql } from "@/test/harness/server-sql";
import { insertToken } from "@/test/harness/tokens";
import { insertUser } from "@/test/harness/users";

/**
 * Find over HTTP: every error answer of the client endpoints is recorded under the request id it was given,
 * and one POST finds it (and a client id, a statement by id, jti, fingerprint or JWT, an access token by JWT or
 * jti, an application, a member) with its story; representatives across organizations (recorded as acting for
 * the one they open), members in theirs only. A pasted JWT is verified and never stored.
 */

const baseUrl = inject("baseUrl");
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

let admin: HttpSession, viewer: HttpSession, otherAdmin: HttpSession, rep: HttpSession;
let ip = 0;
const client = async (path: string, body: string, type: string) => {
  const res = await fetch(baseUrl + path, {
    method: "POST",
    headers: {
      "content-type": type,
      accept: "application/json",
      "x-forwarded-for": `198.18.7.${1 + (ip++ % 250)}`,
    },
    body,
  });
  return {
    status: res.status,
    requestId: res.headers.get("x-request-id")!,
    body: (await res.json()) as Record<string, string>,
  };
};
const register = (statement: string) =>
  client("/o/client/register", JSON.stringify({ software_statement: statement }), "application/json");
const token = (clientId: string, secret: string) =>
  client(
    "/o/client/token",
    new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      client_secret: secret,
    }).toString(),
    "application/x-www-form-urlencoded",
  );

type Match = { kind: string; id: string; organization: { slug: string } | null };
type Found = { matches: Match[]; jwt: { kind: string; verifies: boolean; problem: string | null } | null };
const find = async (who: HttpSession, q: string) => {
  const res = await who.postJson<Found>("/api/admin/v1/find", { q });
  expect(res.status).toBe(200);
  return res.body;
};
const story = async (who: HttpSession, kind: string, id: string) => {
  const res = await who.fetch(`/api/admin/v1/find/${kind}/${encodeURIComponent(id)}`);
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown> & {
      timeline: { kind: string; title: string; subject: boolean }[];
    },
  };
};

let appId: string;
let statement: { id: string; software_statement: string; fingerprint: string; claims: { jti?: string } };
let registered: { client_id: string; client_secret: string };
let accessToken: string;
let refused: { requestId: string };

beforeAll(async () => {
  ({ admin, viewer, otherAdmin } = await acmeCallers());
  rep = await HttpSession.signedIn("rep@support.test");
  appId = await freshApplication(admin, "Findable");
  statement = (await orgPost<typeof statement>(admin, `/applications/${appId}/statements`, {})).body;
  const reg = await register(statement.software_statement);
  expect(reg.status).toBe(201);
  registered = reg.body as unknown as typeof registered;
  const issued = await token(registered.client_id, registered.client_secret);
  expect(issued.status).toBe(201);
  accessToken = issued.body.access_token!;
  const revoked = await orgPost(admin, `/statements/${statement.id}/revoke`, { reason: "Find test" });
  expect(revoked.status).toBe(200);
  const again = await register(statement.software_statement);
  expect(again.status).toBe(400);
  refused = again;
});

describe("refusals", () => {
  it("are recorded with the request id the client was given, the code, the reason and whose they were", async () => {
    const row = await serverDb.get<Record<string, unknown>>(
      `SELECT * FROM "Refusal" WHERE "requestId" = ?`,
      refused.requestId,
    );
    expect(row).toMatchObject({
      endpoint: "register",
      status: 400,
      code: "unapproved_software_statement",
      reason: "revoked",
      statementId: statement.id,
      applicationId: appId,
    });
    // A token request of the cut-off client, and a malformed request (no statement at all): recorded too.
    const cutOff = await token(registered.client_id, registered.client_secret);
    expect(cutOff.status).toBe(400);
    expect(
      await serverDb.get(
        `SELECT "reason", "clientId" FROM "Refusal" WHERE "requestId" = ?`,
        cutOff.requestId,
      ),
    ).toEqual({ reason: "statement_revoked", clientId: registered.client_id });
    const malformed = await client("/o/client/register", "{}", "application/json");
    expect(
      await serverDb.get(
        `SELECT "code", "organizationId" FROM "Refusal" WHERE "requestId" = ?`,
        malformed.requestId,
      ),
    ).toEqual({ code: "invalid_request", organizationId: null });
  });
});

describe("request ids", () => {
  it("are minted by the server: a client cannot plant a refusal under an id of its choosing", async () => {
    const planted = `planted-${randomUUID()}`;
    const res = await fetch(baseUrl + "/o/client/register", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-request-id": planted,
        "x-forwarded-for": "198.18.8.1",
      },
      body: "{}",
    });
    expect(res.status).toBe(400);
    const given = res.headers.get("x-request-id")!;
    expect(given).not.toBe(planted);
    expect(await serverDb.get(`SELECT "id" FROM "Refusal" WHERE "requestId" = ?`, planted)).toBeUndefined();
    expect(await serverDb.get(`SELECT "code" FROM "Refusal" WHERE "requestId" = ?`, given)).toEqual({
      code: "invalid_request",
    });
    expect((await find(rep, planted)).matches).toEqual([]);
    expect((await find(rep, given)).matches).toEqual([expect.objectContaining({ kind: "refusal" })]);
  });
});

describe("POST /api/admin/v1/find", () => {
  it("finds a refusal by its trace, for the organization's members and for representatives, not for others", async () => {
    for (const who of [admin, viewer, rep]) {
      const { matches } = await find(who, refused.requestId);
      expect(matches).toEqual([
        expect.objectContaining({ kind: "refusal", organization: expect.objectContaining({ slug: "acme" }) }),
      ]);
    }
    expect((await find(otherAdmin, refused.requestId)).matches).toEqual([]);
  });

  it("finds a client, a statement by id, jti and fingerprint, an application, an access token by jti", async () => {
    const one = async (q: string, kind: string, id: string) =>
      expect((await find(admin, q)).matches).toContainEqual(expect.objectContaining({ kind, id }));
    await one(registered.client_id, "client", registered.client_id);
    await one(statement.id, "statement", statement.id);
    await one(statement.fingerprint.toUpperCase(), "statement", statement.id);
    if (statement.claims.jti) await one(statement.claims.jti, "statement", statement.id);
    await one(appId, "application", appId);
    const jti = JSON.parse(Buffer.from(accessToken.split(".")[1]!, "base64url").toString()).jti as string;
    await one(jti, "token", jti);
    await one("admin@acme.test", "member", expect.any(String) as unknown as string);
    // Another organization's member sees none of it.
    for (const q of [registered.client_id, statement.id, appId, jti, "admin@acme.test"])
      expect((await find(otherAdmin, q)).matches).toEqual([]);
  });

  it("verifies a pasted JWT on the server, opens what it is, and stores it nowhere", async () => {
    const pastedToken = await find(admin, accessToken);
    expect(pastedToken.jwt).toMatchObject({ kind: "access_token", verifies: true });
    expect(pastedToken.matches).toEqual([expect.objectContaining({ kind: "token" })]);

    const pastedStatement = await find(rep, statement.software_statement);
    expect(pastedStatement.jwt).toMatchObject({ kind: "software_statement", verifies: true });
    expect(pastedStatement.matches).toEqual([
      expect.objectContaining({ kind: "statement", id: statement.id }),
    ]);

    // Altered: its signature no longer verifies, and it opens nothing.
    const [h, p, s] = accessToken.split(".");
    const forged = `${h}.${p}.${s!.slice(0, -4)}AAAA`;
    const tampered = await find(admin, forged);
    expect(tampered.jwt).toMatchObject({ kind: "access_token", verifies: false });
    expect(tampered.matches).toEqual([]);

    const signature = accessToken.split(".")[2]!;
    for (const table of ["AuditEvent", "Refusal", "SupportAccess"]) {
      const rows = await serverDb.all<Record<string, unknown>>(`SELECT * FROM "${table}"`);
      expect(JSON.stringify(rows)).not.toContain(signature);
    }
  });

  it("refuses empty and oversized input with the documented error", async () => {
    const empty = await admin.postJson<{ error: { code: string } }>("/api/admin/v1/find", { q: " " });
    expect(empty).toMatchObject({ status: 400, body: { error: { code: "validation_failed" } } });
    const huge = await admin.postJson("/api/admin/v1/find", { q: "x".repeat(20_000) });
    expect(huge.status).toBe(400);
  });
});

describe("GET /api/admin/v1/find/{kind}/{id}", () => {
  it("tells a refusal's story: its statement, application, and what happened to them in time order", async () => {
    const [match] = (await find(admin, refused.requestId)).matches;
    const { status, body } = await story(admin, "refusal", match!.id);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      refusal: { requestId: refused.requestId, code: "unapproved_software_statement" },
      statement: { id: statement.id, status: "revoked" },
      application: { id: appId },
    });
    const titles = body.timeline.map((e) => e.title);
    expect(titles).toContain("statement.revoked");
    expect(body.timeline.filter((e) => e.subject)).toHaveLength(1);
    const times = (body.timeline as unknown as { at: string }[]).map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it("tells a client's story with its tokens and the refusals it met", async () => {
    const { body } = await story(viewer, "client", registered.client_id);
    const kinds = body.timeline.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["registration", "token", "refusal", "audit"]));
  });

  it("is a 404 for another organization's member, and recorded for a representative", async () => {
    expect((await story(otherAdmin, "client", registered.client_id)).status).toBe(404);
    expect((await story(admin, "client", "no-such-client")).status).toBe(404);
    expect((await story(admin, "nonsense", "x")).status).toBe(404);
    const fresh = await HttpSession.signedIn("rep@support.test");
    const before = await serverDb.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "action" = 'support.accessed' AND "actorEmail" = 'rep@support.test'`,
    );
    expect((await story(fresh, "statement", statement.id)).status).toBe(200);
    const after = await serverDb.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "action" = 'support.accessed' AND "actorEmail" = 'rep@support.test'`,
    );
    expect(Number(after!.n)).toBe(Number(before!.n) + 1);
  });
});

describe("a member account's story", () => {
  // An account in two organizations: a viewer of acme and an admin of globex, with something done in each.
  let twoOrgs: { id: string; email: string };
  let globexAppId: string;
  let acmeAppId: string;
  beforeAll(async () => {
    twoOrgs = await insertUser(serverDb, {
      password: "two-orgs-password",
      member: { slug: "acme", role: "ADMIN" },
    });
    const globex = await serverDb.get<{ id: string }>(
      `SELECT "id" FROM "Organization" WHERE "slug" = 'globex'`,
    );
    await serverDb.run(
      `INSERT INTO "Membership" ("id", "userId", "organizationId", "role") VALUES (?, ?, ?, 'ADMIN')`,
      randomUUID(),
      twoOrgs.id,
      globex!.id,
    );
    const session = new HttpSession();
    expect((await session.signIn(twoOrgs.email, "two-orgs-password")).status).toBe(302);
    acmeAppId = await freshApplication(session, "Two orgs acme");
    const created = await orgPost<{ id: string }>(
      session,
      "/applications",
      {
        name: `Two orgs globex ${randomUUID().slice(0, 6)}`,
        platforms: ["tvOS"],
        domains: ["tv.example.test"],
      },
      "globex",
    );
    expect(created.status).toBe(201);
    globexAppId = created.body.id;
  });

  type MemberStory = {
    member: { memberships: { organization: { slug: string }; role: string }[] };
    timeline: { event?: { targetId: string | null; organizationId?: string | null; ip?: string | null } }[];
  };
  const memberStory = async (fetchStory: () => Promise<Response>) => {
    const res = await fetchStory();
    expect(res.status).toBe(200);
    const body = (await res.json()) as MemberStory;
    return {
      orgs: body.member.memberships.map((m) => m.organization.slug).sort(),
      targets: body.timeline.map((e) => e.event?.targetId),
      text: JSON.stringify(body),
    };
  };
  const viaSession = (who: HttpSession) => () => who.fetch(`/api/admin/v1/find/member/${twoOrgs.id}`);

  it("shows a member of acme (admin, viewer, or a token) only acme's memberships and events", async () => {
    const token = await insertToken(serverDb, "admin@acme.test", "acme", "READ");
    const viaToken = () =>
      fetch(`${baseUrl}/api/admin/v1/find/member/${twoOrgs.id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    for (const read of [viaSession(admin), viaSession(viewer), viaToken]) {
      const seen = await memberStory(read);
      expect(seen.orgs).toEqual(["acme"]);
      expect(seen.targets).toContain(acmeAppId);
      expect(seen.targets).not.toContain(globexAppId);
      // Nothing of globex's, and not its sign-ins (platform-wide events, with their addresses).
      expect(seen.text).not.toContain("globex");
      expect(seen.text).not.toContain("auth.sign_in");
    }
    // Found through the search too: only the memberships the caller shares.
    const [match] = (await find(viewer, twoOrgs.email)).matches;
    expect(match).toMatchObject({ kind: "member", id: twoOrgs.id });
    expect(JSON.stringify(match)).not.toContain("Globex");
  });

  it("shows a representative everything, or the organization it acts for on the page", async () => {
    const everything = await memberStory(viaSession(rep));
    expect(everything.orgs).toEqual(["acme", "globex"]);
    expect(everything.targets).toEqual(expect.arrayContaining([acmeAppId, globexAppId]));

    const acting = rep.clone();
    acting.setCookie("current-org", "globex");
    const page = await acting.fetch(`/find/member/${twoOrgs.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Globex Broadcasting (admin)");
    expect(html).not.toContain("Acme Media (admin)");
    const eventOf = async (targetId: string) =>
      (await serverDb.get<{ id: string }>(`SELECT "id" FROM "AuditEvent" WHERE "targetId" = ?`, targetId))!
        .id;
    expect(html).toContain(`/audit/${await eventOf(globexAppId)}`);
    expect(html).not.toContain(`/audit/${await eventOf(acmeAppId)}`);
  });

  it("is not found for a member of an organization the account is not in", async () => {
    const outsider = await insertUser(serverDb, {
      password: "outsider-password",
      member: { slug: "globex", role: "VIEWER" },
    });
    expect((await story(otherAdmin, "member", outsider.id)).status).toBe(200);
    expect((await story(viewer, "member", outsider.id)).status).toBe(404);
  });
});
