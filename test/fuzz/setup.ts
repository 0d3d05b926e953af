import { generateKeyPairSync, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { encodeReply } from "next/dist/compiled/react-server-dom-webpack/client.node";
import { expect } from "vitest";
import { HttpSession } from "@/test/harness/http";
import type { Sql } from "@/test/harness/server-sql";
import type { AdminContext } from "./admin";
import type { AuthContext } from "./auth";
import type { ClientContext } from "./requests";
import type { StatementKeys } from "./statements";

/**
 * What the fuzz and its regression cases start from, made through the app itself: signed-in admin and
 * representative sessions, a stored statement of acme's tvOS application, an issuer acme trusts (its private
 * key kept here), a registered client with an access token, and a read-write personal access token.
 */
export type Fuzz = {
  baseUrl: string;
  admin: HttpSession;
  rep: HttpSession;
  clientCtx: ClientContext;
  adminCtx: AdminContext;
  authCtx: AuthContext;
  personalAccessToken: string;
  /** An X-Forwarded-For address: a new one every 8 requests, under the throttle's burst of 10. */
  nextAddress(): string;
  /** Calls a server action as React does (see app/api/admin/v1/authorization-matrix.test.ts). */
  callAction(session: HttpSession, name: string, args: unknown[]): Promise<ActionAnswer>;
  /** Posts any body to a server action, as a crafted request would. */
  postAction(session: HttpSession, name: string, body: BodyInit, contentType?: string): Promise<ActionAnswer>;
};

export type ActionAnswer = { status: number; redirect: string | null; text: string };

/** `addressBlock`: the second octet of this file's addresses (throttle buckets outlive a test file). */
export async function startFuzz(
  baseUrl: string,
  password: string,
  sql: Sql,
  addressBlock: number,
): Promise<Fuzz> {
  let throttled = 0;
  const nextAddress = () => {
    const n = Math.floor(throttled++ / 8);
    return `100.${addressBlock + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  };
  const admin = new HttpSession(baseUrl);
  const rep = new HttpSession(baseUrl);
  expect((await admin.signIn("admin@acme.test", password)).status).toBe(302);
  expect((await rep.signIn("rep@support.test", password)).status).toBe(302);
  rep.setCookie("current-org", "acme");

  const one = async (query: string) => (await sql.get<{ v: string }>(query))!.v;
  const applicationId = await one(`SELECT a."id" AS v FROM "Application" a
    JOIN "Organization" o ON o."id" = a."organizationId" WHERE o."slug" = 'acme' AND a."name" = 'Acme TV for tvOS'`);
  const viewerUserId = await one(`SELECT "id" AS v FROM "User" WHERE "email" = 'viewer@acme.test'`);
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await admin.fetch(`/api/admin/v1/orgs/acme${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl },
      body: JSON.stringify(body),
    });
    expect(res.status, path).toBeLessThan(300);
    return (await res.json()) as T;
  };
  const statement = await post<{ id: string; software_statement: string }>(
    `/applications/${applicationId}/statements`,
    {},
  );
  const keys = await statementKeys(baseUrl, statement.software_statement, applicationId, post);

  const client = async (path: string, body: string, type: string) => {
    const res = await fetch(baseUrl + path, {
      method: "POST",
      body,
      headers: { "content-type": type, "x-forwarded-for": nextAddress() },
    });
    expect(res.status, path).toBe(201);
    return (await res.json()) as Record<string, string>;
  };
  const registered = await client(
    "/o/client/register",
    JSON.stringify({ software_statement: keys.stored }),
    "application/json",
  );
  const credentials = { client_id: registered.client_id!, client_secret: registered.client_secret! };
  const form = new URLSearchParams({ grant_type: "client_credentials", ...credentials });
  const token = await client("/o/client/token", form.toString(), "application/x-www-form-urlencoded");

  const clientCtx: ClientContext = {
    keys,
    client: { id: credentials.client_id, secret: credentials.client_secret },
    accessToken: token.access_token!,
    org: "acme",
  };
  const adminCtx: AdminContext = {
    keys,
    org: "acme",
    applicationId,
    statementId: statement.id,
    viewerUserId,
  };
  const { callAction, postAction } = actionCaller(baseUrl, adminCtx);

  // A read-write personal access token, for admin API calls the way scripts make them.
  const tokenForm = new FormData();
  tokenForm.set("name", "fuzz");
  tokenForm.set("access", "WRITE");
  const created = await callAction(admin, "createTokenAction", [{}, tokenForm]);
  const personalAccessToken = /"secret":"(sc_pat_[^"]+)"/.exec(created.text)?.[1] ?? "";
  expect(personalAccessToken, created.text.slice(0, 300)).not.toBe("");

  // A CSRF token and its cookie, as a sign-in form gets them; good for any number of attempts.
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const csrfCookie = csrf.headers.getSetCookie().find((c) => c.startsWith("authjs.csrf-token="))!;
  const authCtx: AuthContext = {
    csrf: {
      token: ((await csrf.json()) as { csrfToken: string }).csrfToken,
      cookie: csrfCookie.split(";")[0]!,
    },
  };

  return {
    baseUrl,
    authCtx,
    admin,
    rep,
    clientCtx,
    adminCtx,
    personalAccessToken,
    nextAddress,
    callAction,
    postAction,
  };
}

/** The stored statement's issuer and key, a new issuer acme trusts, and an attacker's key. */
async function statementKeys(
  baseUrl: string,
  stored: string,
  applicationId: string,
  post: (path: string, body: unknown) => Promise<unknown>,
): Promise<StatementKeys> {
  const trusted = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const trustedIss = `https://fuzz-${randomUUID().slice(0, 8)}.example.test`;
  const trustedJwk = {
    ...trusted.publicKey.export({ format: "jwk" }),
    kid: "fuzz-key",
    alg: "RS256",
    use: "sig",
  };
  await post("/issuers", { iss: trustedIss, jwks: { keys: [trustedJwk] } });

  const part = (i: number) =>
    JSON.parse(Buffer.from(stored.split(".")[i]!, "base64url").toString()) as Record<string, string>;
  const kid = part(0).kid!;
  const jwks = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as {
    keys: Record<string, unknown>[];
  };
  return {
    stored,
    serviceIss: part(1).iss!,
    serviceKid: kid,
    servicePublicJwk: jwks.keys.find((k) => k.kid === kid)!,
    trusted: { iss: trustedIss, kid: "fuzz-key", privateKey: trusted.privateKey },
    attacker: {
      privateKey: attacker.privateKey,
      publicJwk: attacker.publicKey.export({ format: "jwk" }) as Record<string, unknown>,
    },
    applicationId,
  };
}

/**
 * React's encodeReply warns (console.error) when it serializes an object with an own `__proto__` key, which the
 * fuzz sends on purpose: keep that one warning out of the test output.
 */
const consoleError = console.error;
console.error = (...args: unknown[]) => {
  if (
    typeof args[0] === "string" &&
    args[0].startsWith("Expected not to serialize an object with own property")
  )
    return;
  consoleError(...args);
};

type Manifest = { node: Record<string, { workers: Record<string, unknown>; exportedName: string }> };

/** Server actions by name, from the build's manifest, each with a page that uses it. */
function actionCaller(baseUrl: string, ctx: AdminContext): Pick<Fuzz, "callAction" | "postAction"> {
  const manifest = JSON.parse(
    readFileSync(".next/server/server-reference-manifest.json", "utf8"),
  ) as Manifest;
  const actions = new Map(
    Object.entries(manifest.node).map(([id, entry]) => {
      const page = Object.keys(entry.workers).sort((a, b) => a.length - b.length)[0]!;
      const segments = page
        .replace(/^app\//, "")
        .replace(/\/?page$/, "")
        .split("/");
      return [entry.exportedName, { id, path: `/${segments.filter((s) => !/^\(.*\)$/.test(s)).join("/")}` }];
    }),
  );
  const postAction: Fuzz["postAction"] = async (session, name, body, contentType) => {
    const action = actions.get(name);
    if (!action) throw new Error(`${name} is not in the build's manifest`);
    const headers: Record<string, string> = {
      "next-action": action.id,
      origin: baseUrl,
      accept: "text/x-component",
    };
    if (contentType !== undefined) headers["content-type"] = contentType;
    const id = name === "getSoftwareStatementAction" ? ctx.applicationId : ctx.statementId;
    const res = await session.fetch(action.path.replace("[id]", id), { method: "POST", headers, body });
    const redirect = res.headers.get("x-action-redirect") ?? res.headers.get("location");
    return { status: res.status, redirect, text: await res.text() };
  };
  const callAction: Fuzz["callAction"] = async (session, name, args) => {
    const body = await encodeReply(args);
    // A FormData body gets its multipart content type (with the boundary) from fetch itself.
    return postAction(
      session,
      name,
      body as BodyInit,
      typeof body === "string" ? "text/plain;charset=UTF-8" : undefined,
    );
  };
  return { callAction, postAction };
}
