import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * A statement is held by exactly one organization (issue: one organization could capture another's
 * third-party statement, and revoking it did not stop registrations). Over real HTTP, on both databases:
 * two organizations that trust the same outside issuer, a statement both try to upload, registrations with it,
 * revocation, and a representative moving it to where it belongs.
 */
const baseUrl = inject("baseUrl");
const password = inject("seedPassword");
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

type Json = Record<string, unknown> & { error?: { code: string; message: string } };
type Reply = { status: number; body: Json };

class Admin {
  readonly http = new HttpSession();
  static async as(email: string) {
    const admin = new Admin();
    expect((await admin.http.signIn(email, password)).status).toBe(302);
    return admin;
  }
  async call(method: string, path: string, body?: unknown): Promise<Reply> {
    const res = await this.http.fetch(`/api/admin/v1${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json", origin: baseUrl },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }
}

let addresses = 0;
async function register(statement: string): Promise<Reply> {
  const res = await fetch(`${baseUrl}/o/client/register`, {
    method: "POST",
    // Each call its own documentation address, so the throttle (per address) never counts two as one.
    headers: { "content-type": "application/json", "x-forwarded-for": `192.0.2.${++addresses}` },
    body: JSON.stringify({ software_statement: statement }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const ISSUER = `https://shared-issuer-${randomUUID()}.example.test`;
const KID = "shared-1";
let key: CryptoKey, jwk: JWK;
let acme: Admin, globex: Admin, rep: Admin;
const apps: Record<"acme" | "globex", string> = { acme: "", globex: "" };

const statement = (claims: Record<string, unknown> = {}, signingKey = key, kid = KID) =>
  new SignJWT({ iss: ISSUER, sub: `tv-app-${randomUUID()}`, iat: Math.floor(Date.now() / 1000), ...claims })
    .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
    .sign(signingKey);

const upload = (who: Admin, org: keyof typeof apps, jwt: string) =>
  who.call("POST", `/orgs/${org}/statements`, { software_statement: jwt, applicationId: apps[org] });

const auditCount = (org: string, action: string, targetId: string) =>
  serverDb
    .get<{ n: number }>(
      `SELECT COUNT(*) AS "n" FROM "AuditEvent" e JOIN "Organization" o ON o."id" = e."organizationId"
       WHERE o."slug" = ? AND e."action" = ? AND e."targetId" = ?`,
      org,
      action,
      targetId,
    )
    .then((row) => Number(row!.n));

beforeAll(async () => {
  [acme, globex, rep] = await Promise.all([
    Admin.as("admin@acme.test"),
    Admin.as("admin@globex.test"),
    Admin.as("rep@support.test"),
  ]);
  const pair = await generateKeyPair("RS256", { extractable: true });
  key = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: "RS256", use: "sig" };
  for (const [org, who] of [
    ["acme", acme],
    ["globex", globex],
  ] as const) {
    expect(
      (await who.call("POST", `/orgs/${org}/issuers`, { iss: ISSUER, jwks: { keys: [jwk] } })).status,
    ).toBe(201);
    const app = await who.call("POST", `/orgs/${org}/applications`, {
      name: `Shared issuer app ${org}`,
      version: "1.0",
      platforms: ["Roku"],
      domains: [`${org}.example.test`],
    });
    expect(app.status).toBe(201);
    apps[org] = String(app.body.id);
  }
});

describe("a statement belongs to one organization", () => {
  it("refuses a second organization's upload with its own code, naming no organization", async () => {
    const jwt = await statement();
    const first = await upload(globex, "globex", jwt);
    expect(first.status).toBe(201);

    const second = await upload(acme, "acme", jwt);
    expect(second.status).toBe(409);
    expect(second.body.error?.code).toBe("statement_held_elsewhere");
    expect(second.body.error?.message).not.toMatch(/globex/i);
    const rejected = await serverDb.get<{ after: string }>(
      `SELECT e."after" FROM "AuditEvent" e JOIN "Organization" o ON o."id" = e."organizationId"
       WHERE o."slug" = 'acme' AND e."action" = 'statement.upload_rejected' ORDER BY e."seq" DESC LIMIT 1`,
    );
    expect(JSON.parse(rejected!.after)).toMatchObject({ reason: "statement_held_elsewhere" });

    // Registration lands in the one organization that holds it.
    const client = await register(jwt);
    expect(client.status).toBe(201);
    const clientId = String(client.body.client_id);
    expect((await globex.call("GET", `/orgs/globex/registrations/${clientId}`)).status).toBe(200);
    expect((await acme.call("GET", `/orgs/acme/registrations/${clientId}`)).status).toBe(404);
  });

  it("keeps a revoked statement revoked: no other organization's row takes over", async () => {
    const jwt = await statement();
    const held = await upload(acme, "acme", jwt);
    expect(held.status).toBe(201);
    expect((await upload(globex, "globex", jwt)).status).toBe(409);
    const revoked = await acme.call("POST", `/orgs/acme/statements/${held.body.id}/revoke`, {
      reason: "Build leaked",
    });
    expect(revoked.status).toBe(200);

    const refused = await register(jwt);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: "unapproved_software_statement" });
  });

  it("enforces it in the database: a second organization's row with the same fingerprint cannot be stored", async () => {
    const fingerprint = randomUUID().replaceAll("-", "").padEnd(64, "0");
    const insert = (org: keyof typeof apps) =>
      serverDb.run(
        `INSERT INTO "SoftwareStatement" ("id", "organizationId", "applicationId", "jwt", "header", "claims",
           "fingerprint", "issuer", "algorithm", "origin", "status", "createdAt")
         SELECT ?, a."organizationId", a."id", 'x', '{}', '{}', ?, ?, 'RS256', 'UPLOADED', 'ACTIVE', ?
         FROM "Application" a WHERE a."id" = ?`,
        randomUUID(),
        fingerprint,
        ISSUER,
        new Date(),
        apps[org],
      );
    expect(await insert("acme")).toBe(1);
    await expect(insert("globex")).rejects.toThrow(/unique/i);
  });
});

describe("registration refusals tell nothing of other organizations' issuers", () => {
  it("answers alike for an issuer nobody trusts, an unknown key id and a bad signature", async () => {
    const stranger = (await generateKeyPair("RS256")).privateKey;
    const refusals = await Promise.all(
      [
        statement({ iss: `https://nobody-trusts-${randomUUID()}.example.test` }),
        statement({}, key, "no-such-kid"),
        statement({}, stranger),
      ].map(async (jwt) => register(await jwt)),
    );
    for (const refusal of refusals) {
      expect(refusal.status).toBe(400);
      expect(refusal.body.error).toBe("invalid_software_statement");
      expect(refusal.body.error_description).not.toMatch(/kid|shared-1|example\.test|organization/i);
    }
    expect(new Set(refusals.map((r) => r.body.error_description)).size).toBe(1);
  });

  it("still tells a genuine but unknown statement of a trusted issuer from a forged one", async () => {
    const unknown = await register(await statement());
    expect(unknown.body.error).toBe("unapproved_software_statement");
  });
});

describe("a representative moves a statement to the organization it belongs to", () => {
  let jwt: string, statementId: string, clientId: string;
  beforeAll(async () => {
    jwt = await statement();
    const held = await upload(globex, "globex", jwt);
    statementId = String(held.body.id);
    const client = await register(jwt);
    expect(client.status).toBe(201);
    clientId = String(client.body.client_id);
  });
  const move = (who: Admin, body: Record<string, unknown>) =>
    who.call("POST", `/orgs/globex/statements/${statementId}/move`, body);

  it("is support's alone: an admin of the holder gets 403, another organization's admin 404", async () => {
    const body = { organization: "acme", applicationId: apps.acme, reason: "Uploaded by mistake" };
    expect((await move(globex, body)).status).toBe(403);
    expect((await acme.call("POST", `/orgs/globex/statements/${statementId}/move`, body)).status).toBe(404);
  });

  it("refuses a target that does not trust the issuer, or an application that is not the target's", async () => {
    const org = `no-trust-${randomUUID().slice(0, 8)}`;
    const created = await rep.call("POST", "/orgs", {
      slug: org,
      name: "No Trust Co",
      admin: { email: `admin@${org}.test`, name: "Admin" },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const app = await rep.call("POST", `/orgs/${org}/applications`, {
      name: "App",
      version: "1",
      platforms: ["Web"],
      domains: ["x.example.test"],
    });
    const untrusted = await move(rep, { organization: org, applicationId: app.body.id, reason: "Try it" });
    expect(untrusted.status).toBe(400);
    expect(untrusted.body.error?.message).toMatch(/not trusted/);
    const wrongApp = await move(rep, { organization: "acme", applicationId: apps.globex, reason: "Try it" });
    expect(wrongApp.status).toBe(400);
    expect(await auditCount("globex", "statement.moved_out", statementId)).toBe(0);
  });

  it("moves it with its clients, audited on both chains, and registration follows", async () => {
    const moved = await move(rep, {
      organization: "acme",
      applicationId: apps.acme,
      reason: "Acme's own app",
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body).toMatchObject({ id: statementId, applicationId: apps.acme, status: "active" });

    expect((await acme.call("GET", `/orgs/acme/statements/${statementId}`)).status).toBe(200);
    expect((await globex.call("GET", `/orgs/globex/statements/${statementId}`)).status).toBe(404);
    expect((await acme.call("GET", `/orgs/acme/registrations/${clientId}`)).status).toBe(200);
    expect((await globex.call("GET", `/orgs/globex/registrations/${clientId}`)).status).toBe(404);
    expect(await auditCount("globex", "statement.moved_out", statementId)).toBe(1);
    expect(await auditCount("acme", "statement.moved_in", statementId)).toBe(1);
    for (const org of ["acme", "globex"])
      expect((await rep.call("GET", `/orgs/${org}/audit/verify`)).body).toMatchObject({ ok: true });

    const next = await register(jwt);
    expect(next.status).toBe(201);
    expect((await acme.call("GET", `/orgs/acme/registrations/${next.body.client_id}`)).status).toBe(200);
  });

  it("does not move a statement this console generated", async () => {
    const generated = await globex.call("POST", `/orgs/globex/applications/${apps.globex}/statements`, {});
    expect(generated.status).toBe(201);
    const refused = await rep.call("POST", `/orgs/globex/statements/${generated.body.id}/move`, {
      organization: "acme",
      applicationId: apps.acme,
      reason: "Try it",
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toMatch(/generated/);
  });
});
