import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { hash } from "@node-rs/argon2";
import { encodeReply } from "next/dist/compiled/react-server-dom-webpack/client.node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { filesUnder } from "@/test/harness/source-files";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * Every admin API route, found on disk (so a new route cannot be forgotten), called as every kind of caller,
 * against the documented outcome: allowed, 401, 403 or 404 (another organization's object is never a 403).
 * And every server action, the same way (below).
 */
type Persona = "anonymous" | "viewer" | "admin" | "otherOrgAdmin" | "rep" | "disabled";
type Outcome = "allow" | 401 | 403 | 404;

const API_ROOT = "app/api/admin/v1";
const METHODS = /export const (GET|POST|PUT|PATCH|DELETE)\b/g;

const ROUTES = filesUnder(API_ROOT, (f) => path.basename(f) === "route.ts").flatMap((file) => {
  const pattern = "/" + path.relative(API_ROOT, path.dirname(file)).split(path.sep).join("/");
  return [...readFileSync(file, "utf8").matchAll(METHODS)].map((m) => ({ method: m[1]!, pattern }));
});

/** The documented rules: signed-in callers only; reads for any member; writes for admins and reps; others' orgs are 404. */
function expected(method: string, pattern: string, persona: Persona): Outcome {
  if (persona === "anonymous" || persona === "disabled") return 401;
  if (pattern === "/orgs") return method === "GET" || persona === "rep" ? "allow" : 403;
  // Find searches what the caller reaches: anyone signed in may ask (another organization's answer is empty).
  if (pattern === "/find") return "allow";
  if (persona === "otherOrgAdmin") return 404;
  if (method === "GET") return "allow";
  // Moving a statement between organizations is support's: members, admins included, may not.
  if (pattern.endsWith("/move")) return persona === "rep" ? "allow" : 403;
  return persona === "viewer" ? 403 : "allow";
}

const password = inject("seedPassword");
const serverDb = await openServerSql();
const sessions = {} as Record<Persona, HttpSession>;
const ids = {} as Record<string, string>;

beforeAll(async () => {
  const one = async (sql: string, ...params: unknown[]) =>
    (await serverDb.get<{ v: string }>(sql, ...params))!.v;
  const acme = await one(`SELECT "id" AS v FROM "Organization" WHERE "slug" = 'acme'`);
  ids.application = await one(`SELECT "id" AS v FROM "Application" WHERE "organizationId" = ? LIMIT 1`, acme);
  ids.statement = await one(
    `SELECT "id" AS v FROM "SoftwareStatement" WHERE "organizationId" = ? AND "status" = 'ACTIVE' LIMIT 1`,
    acme,
  );
  ids.clientId = await one(
    `SELECT "clientId" AS v FROM "ClientRegistration" WHERE "organizationId" = ? LIMIT 1`,
    acme,
  );
  ids.audit = await one(`SELECT "id" AS v FROM "AuditEvent" WHERE "organizationId" = ? LIMIT 1`, acme);
  ids.viewerUser = await one(`SELECT "id" AS v FROM "User" WHERE "email" = 'viewer@acme.test'`);
  ids.acme = acme;
  ids.webhook = await disposableWebhook();
  ids.delivery = await failedDelivery(ids.webhook);

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
  // The representative acts for acme, as the organization switcher would set it.
  sessions.rep.setCookie("current-org", "acme");

  // An acme admin whose account is disabled after signing in: the session must stop working at once.
  const userId = randomUUID();
  const email = `matrix-disabled-${Date.now()}@acme.test`;
  await serverDb.run(
    `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "updatedAt") VALUES (?, ?, 'Disabled', ?, 'USER', ?)`,
    userId,
    email,
    await hash(password),
    new Date(),
  );
  await serverDb.run(
    `INSERT INTO "Membership" ("id", "userId", "organizationId", "role") VALUES (?, ?, ?, 'ADMIN')`,
    randomUUID(),
    userId,
    acme,
  );
  sessions.disabled = await signedIn(email);
  expect(await serverDb.run(`UPDATE "User" SET "disabled" = ? WHERE "id" = ?`, true, userId)).toBe(1);
});
afterAll(() => serverDb.close());

function concretePath(pattern: string, webhook = ids.webhook, issuer = "no-such-issuer"): string {
  return pattern
    .replace("[org]", "acme")
    .replace("applications/[id]", `applications/${ids.application}`)
    .replace("statements/[id]", `statements/${ids.statement}`)
    .replace("audit/[id]", `audit/${ids.audit}`)
    .replace("registrations/[clientId]", `registrations/${ids.clientId}`)
    .replace("find/[kind]/[id]", `find/client/${ids.clientId}`)
    .replace("webhooks/[id]", `webhooks/${webhook}`)
    .replace("issuers/[id]", `issuers/${issuer}`)
    .replace("deliveries/[deliveryId]", `deliveries/${ids.delivery}`);
}

describe("authorization matrix of the admin API", () => {
  it("finds every route on disk (update this list, and the rules above, when adding one)", () => {
    expect(ROUTES.map((r) => `${r.method} ${r.pattern}`).sort()).toEqual(
      [
        "GET /find/[kind]/[id]",
        "GET /orgs",
        "GET /orgs/[org]/activity",
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
        "POST /find",
        "POST /orgs",
        "POST /orgs/[org]/applications",
        "POST /orgs/[org]/applications/[id]/statement-url",
        "POST /orgs/[org]/applications/[id]/statements",
        "POST /orgs/[org]/issuers",
        "DELETE /orgs/[org]/issuers/[id]",
        "POST /orgs/[org]/members",
        "POST /orgs/[org]/statements",
        "POST /orgs/[org]/statements/[id]/move",
        "POST /orgs/[org]/statements/[id]/replace",
        "POST /orgs/[org]/statements/[id]/revoke",
        "GET /orgs/[org]/webhooks",
        "POST /orgs/[org]/webhooks",
        "GET /orgs/[org]/webhooks/[id]",
        "DELETE /orgs/[org]/webhooks/[id]",
        "PATCH /orgs/[org]/webhooks/[id]",
        "GET /orgs/[org]/webhooks/[id]/deliveries",
        "POST /orgs/[org]/webhooks/[id]/deliveries/[deliveryId]/retry",
        "POST /orgs/[org]/webhooks/[id]/rotate-secret",
        "POST /orgs/[org]/webhooks/[id]/test",
      ].sort(),
    );
  });

  const personas: Persona[] = ["anonymous", "viewer", "admin", "otherOrgAdmin", "rep", "disabled"];
  for (const { method, pattern } of ROUTES) {
    for (const persona of personas) {
      const outcome = expected(method, pattern, persona);
      it(`${method} ${pattern} as ${persona} → ${outcome}`, async () => {
        const http = sessions[persona];
        // Mutations carry an invalid body, so an allowed call stops at validation (400) and changes nothing,
        // except issuing a statement, queuing a webhook's test event or rotating its secret, which take no body and
        // are harmless,
        // and deleting, which gets a disposable webhook or issuer of its own.
        const init: RequestInit =
          method === "GET"
            ? {}
            : {
                method,
                body: "{}",
                headers: { "content-type": "application/json", origin: http.baseUrl },
              };
        const path =
          method !== "DELETE"
            ? concretePath(pattern)
            : pattern.includes("/issuers/")
              ? concretePath(pattern, ids.webhook, await disposableIssuer())
              : concretePath(pattern, await disposableWebhook());
        const res = await http.fetch(`/api/admin/v1${path}`, init);
        const text = await res.text();
        if (outcome === "allow") expect([401, 403, 404], `${res.status} ${text}`).not.toContain(res.status);
        else expect(res.status, text).toBe(outcome);
        if (res.status >= 400) expect(JSON.parse(text).error.code).toEqual(expect.any(String));
      });
    }
  }
});

/**
 * Every server action, from the build's own manifest (cross-checked against the `export async function`s on
 * disk, so the manifest is this code's), called over HTTP exactly as React calls it — a POST to a page that
 * uses it with the `Next-Action` header and the arguments encoded by React's own `encodeReply` — as every kind
 * of caller. The outcome is read from what the browser would get: a redirect to /login (401) or the error code
 * the action returns (`unauthenticated`, `forbidden`, `not_found`).
 */
type Rule =
  | "public"
  | "signedIn"
  | "ownObject"
  | "read"
  | "readObject"
  | "write"
  | "writeObject"
  | "repOnly"
  | "signOut";
type ActionOutcome = Outcome | "signedOut" | "error";

function expectedForAction(rule: Rule, persona: Persona): ActionOutcome {
  if (rule === "public") return "allow";
  if (rule === "signOut") return "signedOut";
  if (persona === "anonymous" || persona === "disabled") return 401;
  if (rule === "repOnly") return persona === "rep" ? "allow" : 403;
  // Something only its owner may name (a session): anyone else's id is "not found", for every persona.
  if (rule === "ownObject") return 404;
  if (persona === "otherOrgAdmin" && (rule === "readObject" || rule === "writeObject")) return 404;
  if (persona === "viewer" && (rule === "write" || rule === "writeObject")) return 403;
  return "allow";
}

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
};

/** How each action is called, and the rule it must obey. Arguments that would change data are invalid. */
const ACTION_CASES: Record<string, { rule: Rule; args: () => unknown[] | Promise<unknown[]> }> = {
  signInAction: { rule: "public", args: () => [{}, form({ email: "not-an-email" })] },
  selectOrganizationAction: { rule: "readObject", args: () => ["acme"] },
  switchOrganizationAction: { rule: "readObject", args: () => ["acme", "/"] },
  stopActingAction: { rule: "signedIn", args: () => [] },
  changePasswordAction: { rule: "signedIn", args: () => [{}, form({ current: "", next: "short" })] },
  endSessionAction: { rule: "ownObject", args: () => ["not-a-session-of-yours"] },
  // Each persona has one session here: there is nothing else to end, and it must stay signed in.
  endOtherSessionsAction: { rule: "signedIn", args: () => [] },
  verifyIntegrityAction: { rule: "read", args: () => [] },
  // Too short to look anything up: answered with a message, for anyone signed in.
  findAction: { rule: "signedIn", args: () => [{}, form({ q: "" })] },
  inspectStatementAction: { rule: "read", args: () => ["not.a.jwt"] },
  findPastedStatementAction: { rule: "read", args: () => ["not.a.jwt"] },
  downloadStatementAction: { rule: "readObject", args: () => [ids.statement] },
  createApplicationAction: { rule: "write", args: () => [{}, form({ name: "" })] },
  uploadStatementAction: { rule: "write", args: () => [{}, form({ software_statement: "" })] },
  updateOrganizationAction: { rule: "write", args: () => [{}, form({ name: "" })] },
  addIssuerAction: { rule: "write", args: () => [{}, form({ iss: "", keys: "" })] },
  addMemberAction: { rule: "write", args: () => [{}, form({ email: "" })] },
  // Viewers create read-only tokens of their own (lib/tokens/service.ts).
  createTokenAction: { rule: "read", args: () => [{}, form({ name: "" })] },
  getSoftwareStatementAction: { rule: "writeObject", args: () => [ids.application] },
  revokeStatementAction: { rule: "writeObject", args: () => [ids.statement, {}, form({ reason: "" })] },
  replaceStatementAction: { rule: "writeObject", args: () => [ids.statement, {}, form({ reason: "" })] },
  // Off, as it already is: allowed, it changes nothing.
  setStatementUrlAction: { rule: "writeObject", args: () => [ids.application, false, null] },
  changeRoleAction: { rule: "writeObject", args: () => [ids.viewerUser, {}, form({ role: "OWNER" })] },
  createWebhookAction: { rule: "write", args: () => [{}, form({ url: "http://not-https.example" })] },
  // A test event for a webhook that receives nothing: harmless. Deleting gets a disposable webhook.
  sendTestWebhookAction: { rule: "writeObject", args: () => [ids.webhook] },
  deleteWebhookAction: { rule: "writeObject", args: async () => [await disposableWebhook()] },
  // Resuming a webhook that is on: allowed, it changes nothing.
  setWebhookEnabledAction: { rule: "writeObject", args: () => [ids.webhook, true] },
  // The disposable webhook's secret is nobody's: a new one is harmless.
  rotateWebhookSecretAction: { rule: "writeObject", args: () => [ids.webhook] },
  // Allowed, the first call queues one more attempt to an address that receives nothing; later ones conflict.
  retryDeliveryAction: { rule: "writeObject", args: () => [ids.webhook, ids.delivery] },
  startRunAction: {
    rule: "writeObject",
    args: () => [{ statementId: ids.statement, scenario: "walkthrough", tokenLifetimeSeconds: 60 }],
  },
  // These take no input to make invalid: each call gets its own disposable object.
  disableMemberAction: { rule: "writeObject", args: async () => [await disposableMember(), {}] },
  removeIssuerAction: { rule: "writeObject", args: async () => [await disposableIssuer()] },
  // The disposable token is the viewer's own, which they may revoke; admins revoke any of the organization's.
  revokeTokenAction: { rule: "readObject", args: async () => [await disposableToken()] },
  createOrganizationAction: { rule: "repOnly", args: () => [{}, form({ slug: "" })] },
  moveTargetsAction: { rule: "repOnly", args: () => ["globex"] },
  moveStatementAction: { rule: "repOnly", args: () => [ids.statement, {}, form({ organization: "" })] },
  // Last: it ends the session (the persona's cookies go with it). Everyone ends up on the sign-in page.
  signOutAction: { rule: "signOut", args: () => [] },
};

async function disposableMember(): Promise<string> {
  const userId = randomUUID();
  await serverDb.run(
    `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "updatedAt") VALUES (?, ?, 'Spare', 'x', 'USER', ?)`,
    userId,
    `spare-${userId}@acme.test`,
    new Date(),
  );
  await serverDb.run(
    `INSERT INTO "Membership" ("id", "userId", "organizationId", "role") VALUES (?, ?, ?, 'VIEWER')`,
    randomUUID(),
    userId,
    ids.acme,
  );
  return userId;
}

async function disposableIssuer(): Promise<string> {
  const id = randomUUID();
  await serverDb.run(
    `INSERT INTO "TrustedIssuer" ("id", "organizationId", "iss", "jwks") VALUES (?, ?, ?, '{"keys":[]}')`,
    id,
    ids.acme,
    `https://spare-${id}.test`,
  );
  return id;
}

/** An acme webhook to a public address (nothing listens there), written straight into the database. */
async function disposableWebhook(): Promise<string> {
  const id = randomUUID();
  await serverDb.run(
    `INSERT INTO "Webhook" ("id", "organizationId", "url", "events", "secretEncrypted") VALUES (?, ?, ?, ?, 'v1.x.x.x')`,
    id,
    ids.acme,
    `https://93.184.215.14/matrix/${id}`,
    JSON.stringify(["statement.revoked"]),
  );
  return id;
}

/** A delivery of `webhookId`'s that has failed for good, as "Retry now" needs one. */
async function failedDelivery(webhookId: string): Promise<string> {
  const id = randomUUID();
  await serverDb.run(
    `INSERT INTO "WebhookDelivery" ("id", "webhookId", "organizationId", "event", "eventId", "payload", "status", "attempts") VALUES (?, ?, ?, 'webhook.test', ?, '{}', 'FAILED', 6)`,
    id,
    webhookId,
    ids.acme,
    `evt_${id}`,
  );
  return id;
}

async function disposableToken(): Promise<string> {
  const id = randomUUID();
  await serverDb.run(
    `INSERT INTO "PersonalAccessToken" ("id", "organizationId", "userId", "name", "prefix", "tokenHash", "access") VALUES (?, ?, ?, 'spare', 'x', ?, 'READ')`,
    id,
    ids.acme,
    ids.viewerUser,
    `spare-${id}`,
  );
  return id;
}

type Manifest = {
  node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }>;
};
const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as Manifest;
const SESSION_CHANGING = ["stopActingAction", "signOutAction"];
const ACTIONS = Object.entries(manifest.node)
  .map(([id, entry]) => ({ id, name: entry.exportedName, file: entry.filename, page: pageOf(entry.workers) }))
  // Those that change the caller's own session go last: stopping to act, then signing out.
  .sort((a, b) => SESSION_CHANGING.indexOf(a.name) - SESSION_CHANGING.indexOf(b.name));

/** A page that uses the action, as a URL (route groups dropped, dynamic segments filled in). */
function pageOf(workers: Record<string, unknown>): string {
  const page = Object.keys(workers).sort((a, b) => a.length - b.length)[0]!;
  return (
    "/" +
    page
      .replace(/^app\//, "")
      .replace(/\/?page$/, "")
      .split("/")
      .filter((segment) => !/^\(.*\)$/.test(segment))
      .join("/")
  );
}

async function callAction(http: HttpSession, action: (typeof ACTIONS)[number], args: unknown[]) {
  const path = action.page
    .replace("applications/[id]", `applications/${ids.application}`)
    .replace("statements/[id]", `statements/${ids.statement}`);
  const body = await encodeReply(args);
  const headers: Record<string, string> = {
    "next-action": action.id,
    origin: http.baseUrl,
    accept: "text/x-component",
  };
  if (typeof body === "string") headers["content-type"] = "text/plain;charset=UTF-8";
  const res = await http.fetch(path, { method: "POST", headers, body: body as BodyInit });
  const text = await res.text();
  const redirect = res.headers.get("x-action-redirect") ?? res.headers.get("location") ?? "";
  let outcome: ActionOutcome = "allow";
  if (res.status >= 500) outcome = "error";
  else if (/^(https?:\/\/[^/]+)?\/login\b/.test(redirect))
    outcome = action.name === "signOutAction" ? "signedOut" : 401;
  else if (res.status === 404) outcome = 404;
  else if (/"code":"unauthenticated"/.test(text)) outcome = 401;
  else if (/"code":"forbidden"/.test(text)) outcome = 403;
  else if (/"code":"not_found"/.test(text)) outcome = 404;
  return { outcome, detail: `${res.status} ${redirect} ${text.slice(0, 400)}` };
}

describe("authorization matrix of the server actions", () => {
  it("finds every server action in the build, and the build has every one on disk", () => {
    const onDisk = filesUnder("app", (f) => path.basename(f) === "actions.ts").flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/export const (\w+) = serverAction\(/g)].map((m) => m[1]!),
    );
    expect(ACTIONS.map((a) => a.name).sort()).toEqual(onDisk.sort());
    expect(ACTIONS.length).toBe(37);
    expect(Object.keys(ACTION_CASES).sort()).toEqual(onDisk.sort());
  });

  const personas: Persona[] = ["anonymous", "viewer", "admin", "otherOrgAdmin", "rep", "disabled"];
  for (const action of ACTIONS) {
    const spec = ACTION_CASES[action.name];
    for (const persona of personas) {
      const outcome = spec ? expectedForAction(spec.rule, persona) : "allow";
      it(`${action.name} as ${persona} → ${outcome}`, async () => {
        expect(spec, `add ${action.name} to ACTION_CASES with its rule`).toBeDefined();
        const result = await callAction(sessions[persona], action, await spec!.args());
        expect(result.outcome, result.detail).toBe(outcome);
      });
    }
  }
});
