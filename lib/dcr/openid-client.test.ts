import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * The standard face (docs/client-api.md §5) as a stock OAuth client library sees it: openid-client v6 discovers the
 * server (RFC 8414), registers with a software statement (RFC 7591), gets a token with client_secret_basic
 * (RFC 6749 §4.4), introspects it (RFC 7662) and calls the protected resource with it.
 */

// ── Helpers ──────────────────────────────────────────────────────────────────────────────────────────────

const baseUrl = inject("baseUrl");
const server = new URL(baseUrl);
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

/** The requests openid-client made, as the server saw them (method, path, headers, body). */
type Sent = { method: string; path: string; headers: Record<string, string>; body: string };
const sent: Sent[] = [];

let addresses = 0;
/**
 * openid-client's requests go through here: each gets an X-Forwarded-For address of its own (RFC 5737, a
 * range no other test file uses), so the throttle never sees them as one client.
 */
const withAddress: client.CustomFetch = (url, options) => {
  if (++addresses > 254) throw new Error("This file ran out of test addresses.");
  const headers = { ...options.headers, "x-forwarded-for": `192.0.2.${addresses}` };
  sent.push({
    method: options.method,
    path: new URL(url).pathname,
    headers,
    body: String(options.body ?? ""),
  });
  return fetch(url, { ...(options as RequestInit), headers });
};

const options = {
  algorithm: "oauth2" as const, // /.well-known/oauth-authorization-server, not openid-configuration
  execute: [client.allowInsecureRequests], // the test server speaks plain http on localhost
  [client.customFetch]: withAddress,
};

const lastRequestTo = (path: string) => sent.filter((r) => r.path === path).at(-1)!;

/** openid-client rejects with ResponseBodyError carrying the server's `error` and status. */
async function oauthFailure(promise: Promise<unknown>): Promise<{ error: string; status: number }> {
  const failure = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(client.ResponseBodyError);
  const { error, status } = failure as client.ResponseBodyError;
  return { error, status };
}

// A statement this service signed for the seeded "Acme TV for tvOS" application (the seed's own, never revoked).
let softwareStatement: string;
beforeAll(async () => {
  const row = await serverDb.get<{ jwt: string }>(
    `SELECT s."jwt" FROM "SoftwareStatement" s JOIN "Application" a ON a."id" = s."applicationId"
     WHERE a."name" = 'Acme TV for tvOS' AND s."status" = 'ACTIVE' AND s."origin" = 'GENERATED'
     ORDER BY s."createdAt" LIMIT 1`,
  );
  softwareStatement = row!.jwt;
});

// ── The flow ─────────────────────────────────────────────────────────────────────────────────────────────

describe("openid-client v6 against the standard face", () => {
  let config: client.Configuration;
  let accessToken: string;

  it("discovers the server metadata", async () => {
    const discovered = await client.discovery(server, "not-registered-yet", undefined, undefined, options);
    expect(discovered.serverMetadata()).toMatchObject({
      issuer: baseUrl,
      registration_endpoint: `${baseUrl}/oauth2/register`,
      token_endpoint: `${baseUrl}/oauth2/token`,
      introspection_endpoint: `${baseUrl}/oauth2/introspect`,
      grant_types_supported: ["client_credentials"],
    });
    expect(lastRequestTo("/.well-known/oauth-authorization-server").method).toBe("GET");
  });

  it("registers with a software statement (dynamicClientRegistration)", async () => {
    config = await client.dynamicClientRegistration(
      server,
      {
        software_statement: softwareStatement,
        grant_types: ["client_credentials"],
        token_endpoint_auth_method: "client_secret_basic",
      },
      client.ClientSecretBasic(),
      options,
    );
    const metadata = config.clientMetadata();
    expect(metadata).toMatchObject({
      client_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      client_secret: expect.stringMatching(/^[A-Za-z0-9_-]{43,}$/),
      client_secret_expires_at: 0,
      token_endpoint_auth_method: "client_secret_basic",
    });
    const registered = await serverDb.get(
      `SELECT "organizationId" FROM "ClientRegistration" WHERE "clientId" = ?`,
      metadata.client_id,
    );
    expect(registered).toBeDefined();
    expect(JSON.parse(lastRequestTo("/oauth2/register").body)).toMatchObject({
      software_statement: softwareStatement,
    });
  });

  it("gets an access token with client_secret_basic (clientCredentialsGrant)", async () => {
    const tokens = await client.clientCredentialsGrant(config);
    expect(tokens).toMatchObject({
      access_token: expect.any(String),
      token_type: "bearer",
      expires_in: 21600,
    });
    accessToken = tokens.access_token;

    // It really was HTTP Basic: the secret is in the Authorization header, not in the body.
    const request = lastRequestTo("/oauth2/token");
    expect(request.headers.authorization).toMatch(/^Basic /);
    const body = new URLSearchParams(request.body);
    expect(body.get("grant_type")).toBe("client_credentials");
    expect(body.has("client_secret")).toBe(false);
  });

  it("introspects the token as active (tokenIntrospection)", async () => {
    const introspection = await client.tokenIntrospection(config, accessToken);
    expect(introspection).toMatchObject({
      active: true,
      client_id: config.clientMetadata().client_id,
      scope: "api:client:v2",
      exp: expect.any(Number),
    });
    expect(await client.tokenIntrospection(config, "not-a-token")).toMatchObject({ active: false });
  });

  it("calls the protected resource with the token (fetchProtectedResource)", async () => {
    const url = new URL("/api/v2/acme/configuration", baseUrl);
    const response = await client.fetchProtectedResource(config, accessToken, url, "GET");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ serviceProvider: "acme" });
  });

  it("configures a known client by discovery and gets a token with client_secret_post", async () => {
    const { client_id, client_secret } = config.clientMetadata();
    const known = await client.discovery(
      server,
      client_id,
      client_secret as string,
      client.ClientSecretPost(),
      options,
    );
    const tokens = await client.clientCredentialsGrant(known);
    expect(tokens.access_token).toEqual(expect.any(String));
    expect(new URLSearchParams(lastRequestTo("/oauth2/token").body).get("client_secret")).toBe(client_secret);
  });
});

describe("openid-client sees the server's errors", () => {
  it("a statement that is not a JWT: invalid_software_statement", async () => {
    const failure = await oauthFailure(
      client.dynamicClientRegistration(server, { software_statement: "not-a-jwt" }, undefined, options),
    );
    expect(failure).toEqual({ error: "invalid_software_statement", status: 400 });
  });

  it("a wrong secret with client_secret_basic: invalid_client (401)", async () => {
    const registered = await client.dynamicClientRegistration(
      server,
      { software_statement: softwareStatement },
      undefined,
      options,
    );
    const wrong = await client.discovery(
      server,
      registered.clientMetadata().client_id,
      "wrong-secret",
      client.ClientSecretBasic(),
      options,
    );
    // A 401 with a WWW-Authenticate challenge surfaces as the challenge (the body is left unread).
    const failure = await client.clientCredentialsGrant(wrong).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(client.WWWAuthenticateChallengeError);
    const { status, cause, response } = failure as client.WWWAuthenticateChallengeError;
    expect(status).toBe(401);
    expect(cause[0]).toMatchObject({ scheme: "basic", parameters: { error: "invalid_client" } });
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });
});
