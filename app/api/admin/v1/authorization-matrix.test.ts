import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/http";

/**
 * Every admin API route, found on disk (so a new route cannot be forgotten), called as every kind of caller,
 * against the documented outcome: allowed, 401, 403 or 404 (another organization's object is never a 403).
 * And every server action, checked to reach a guard before it does anything.
 */
type Persona = "anonymous" | "viewer" | "admin" | "otherOrgAdmin" | "rep" | "disabled";
type Outcome = "allow" | 401 | 403 | 404;

const API_ROOT = "app/api/admin/v1";
const METHODS = /export const (GET|POST|PUT|PATCH|DELETE)\b/g;

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

const ROUTES = routeFiles(API_ROOT).flatMap((file) => {
  const pattern = "/" + path.relative(API_ROOT, path.dirname(file)).split(path.sep).join("/");
  return [...readFileSync(file, "utf8").matchAll(METHODS)].map((m) => ({ method: m[1]!, pattern }));
});

/** The documented rules: signed-in callers only; reads for any member; writes for admins and reps; others' orgs are 404. */
function expected(method: string, pattern: string, persona: Persona): Outcome {
  if (persona === "anonymous" || persona === "disabled") return 401;
  if (pattern === "/orgs") return method === "GET" || persona === "rep" ? "allow" : 403;
  if (persona === "otherOrgAdmin") return 404;
  if (method === "GET") return "allow";
  return persona === "viewer" ? 403 : "allow";
}

const password = inject("seedPassword");
const serverDb = new Database(inject("serverDb"));
const sessions = {} as Record<Persona, HttpSession>;
const ids = {} as Record<string, string>;

beforeAll(async () => {
  const one = (sql: string) => (serverDb.prepare(sql).get() as { v: string }).v;
  const acme = one(`SELECT id AS v FROM Organization WHERE slug = 'acme'`);
  ids.application = one(`SELECT id AS v FROM Application WHERE organizationId = '${acme}' LIMIT 1`);
  ids.statement = one(
    `SELECT id AS v FROM SoftwareStatement WHERE organizationId = '${acme}' AND status = 'ACTIVE' LIMIT 1`,
  );
  ids.clientId = one(`SELECT clientId AS v FROM ClientRegistration WHERE organizationId = '${acme}' LIMIT 1`);
  ids.audit = one(`SELECT id AS v FROM AuditEvent WHERE organizationId = '${acme}' LIMIT 1`);

  const signedIn = async (email: string) => {
    const http = new HttpSession();
    expect((await http.signIn(email, password)).status).toBe(302);
    return http;
  };
  sessions.anonymous = new HttpSession();
  sessions.viewer = await signedIn("viewer@acme.test");
  sessions.admin = await signedIn("admin@acme.test");
  sessions.otherOrgAdmin = await signedIn("admin@globex.test");
  sessions.rep = await signedIn("rep@support.test");

  // An acme admin whose account is disabled after signing in: the session must stop working at once.
  const userId = randomUUID();
  const email = `matrix-disabled-${Date.now()}@acme.test`;
  serverDb
    .prepare(
      `INSERT INTO User (id, email, name, passwordHash, role, updatedAt) VALUES (?, ?, 'Disabled', ?, 'USER', ?)`,
    )
    .run(userId, email, await hash(password), new Date().toISOString());
  serverDb
    .prepare(`INSERT INTO Membership (id, userId, organizationId, role) VALUES (?, ?, ?, 'ADMIN')`)
    .run(randomUUID(), userId, acme);
  sessions.disabled = await signedIn(email);
  serverDb.prepare(`UPDATE User SET disabled = 1 WHERE id = ?`).run(userId);
});
afterAll(() => serverDb.close());

function concretePath(pattern: string): string {
  return pattern
    .replace("[org]", "acme")
    .replace("applications/[id]", `applications/${ids.application}`)
    .replace("statements/[id]", `statements/${ids.statement}`)
    .replace("audit/[id]", `audit/${ids.audit}`)
    .replace("registrations/[clientId]", `registrations/${ids.clientId}`);
}

describe("authorization matrix of the admin API", () => {
  it("finds every route on disk (update this list, and the rules above, when adding one)", () => {
    expect(ROUTES.map((r) => `${r.method} ${r.pattern}`).sort()).toEqual([
      "GET /orgs",
      "GET /orgs/[org]/applications",
      "GET /orgs/[org]/applications/[id]",
      "GET /orgs/[org]/audit",
      "GET /orgs/[org]/audit/[id]",
      "GET /orgs/[org]/audit/export",
      "GET /orgs/[org]/audit/verify",
      "GET /orgs/[org]/issuers",
      "GET /orgs/[org]/members",
      "GET /orgs/[org]/registrations",
      "GET /orgs/[org]/registrations/[clientId]",
      "GET /orgs/[org]/statements",
      "GET /orgs/[org]/statements/[id]",
      "GET /orgs/[org]/statements/[id]/registrations",
      "POST /orgs",
      "POST /orgs/[org]/applications",
      "POST /orgs/[org]/applications/[id]/statements",
      "POST /orgs/[org]/issuers",
      "POST /orgs/[org]/members",
      "POST /orgs/[org]/statements",
      "POST /orgs/[org]/statements/[id]/revoke",
    ]);
  });

  const personas: Persona[] = ["anonymous", "viewer", "admin", "otherOrgAdmin", "rep", "disabled"];
  for (const { method, pattern } of ROUTES) {
    for (const persona of personas) {
      const outcome = expected(method, pattern, persona);
      it(`${method} ${pattern} as ${persona} → ${outcome}`, async () => {
        const http = sessions[persona];
        // Mutations carry an invalid body, so an allowed call stops at validation (400) and changes nothing,
        // except issuing a statement, which takes no body and is harmless.
        const init: RequestInit =
          method === "GET"
            ? {}
            : {
                method,
                body: "{}",
                headers: { "content-type": "application/json", origin: http.baseUrl },
              };
        const res = await http.fetch(`/api/admin/v1${concretePath(pattern)}`, init);
        const text = await res.text();
        if (outcome === "allow") expect([401, 403, 404], `${res.status} ${text}`).not.toContain(res.status);
        else expect(res.status, text).toBe(outcome);
        if (res.status >= 400) expect(JSON.parse(text).error.code).toEqual(expect.any(String));
      });
    }
  }
});

describe("server actions", () => {
  const GUARDS = /requireCurrentScope\(|requireCaller\(|scopeForOrg\(|signIn\(|signOut\(/;
  const files = routeFilesNamed("app", "actions.ts");
  const actions = files.flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const starts = [...text.matchAll(/export async function (\w+)/g)];
    return starts.map((m, i) => ({
      name: m[1]!,
      file,
      body: text.slice(m.index, starts[i + 1]?.index ?? text.length),
    }));
  });

  it("finds every server action on disk", () => {
    expect(actions.length).toBe(22);
  });

  for (const action of actions) {
    it(`${action.name} (${path.relative("app", action.file)}) reaches a guard before doing anything`, () => {
      expect(action.body).toMatch(GUARDS);
    });
  }
});

function routeFilesNamed(dir: string, fileName: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFilesNamed(full, fileName);
    return name === fileName ? [full] : [];
  });
}
