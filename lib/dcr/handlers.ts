import "server-only";
import type { RequestMeta } from "@/lib/audit";
import { env } from "@/lib/env";
import { requestMetaFrom } from "@/lib/request-meta";
import { SIMULATION_TICKET_HEADER } from "@/lib/simulator/ticket";
import {
  AccessTokenError,
  authenticateClient,
  fetchCurrentStatement,
  issueToken,
  recordRefusal,
  registerClient,
  throttledWhose,
  validateAccessToken,
  type Endpoint,
} from "./core";
import { parseDeviceInfo } from "./device-info";
import {
  assertNoDuplicateKeys,
  basicCredentials,
  collectParams,
  mediaType,
  readBody,
  requireAcceptJson,
  requireJson,
} from "./params";
import { pathOf, STATEMENT_URL_PREFIX, type ClientRequest, type ClientResponse } from "./exchange";
import { enhancedError, jsonResponse, OAuthError } from "./responses";
import { throttle } from "./throttle";

/**
 * The client-facing endpoints, as handlers of a ClientRequest (./exchange.ts): served from node:http directly in
 * production (server/hot-path.ts) and mounted by Next's route files through the Fetch API (./fetch.ts). They
 * import nothing of Next.
 */
export type Face = "adobe" | "rfc";
type Handler = (request: ClientRequest, meta: RequestMeta) => Promise<ClientResponse>;
export type ClientHandler = (request: ClientRequest) => Promise<ClientResponse>;

type Options = {
  /** Which endpoint this is, as its refusals are recorded. */
  name: Endpoint;
  throttled: boolean;
  enhanced?: boolean;
  /** What a throttled request names, to say whose it was (null when it names nothing readable). */
  names?: (request: ClientRequest) => Promise<Parameters<typeof throttledWhose>[0] | null>;
};

/** Every answer goes through here: an error answer is recorded (with its audit event and count) before it is sent. */
function endpoint(options: Options, handler: Handler): ClientHandler {
  return async (request) => {
    const meta = requestMetaFrom({ get: request.header });
    const response = await answer(options, handler, request, meta);
    await recordRefusal(options.name, meta, response);
    return response;
  };
}

async function answer(options: Options, handler: Handler, request: ClientRequest, meta: RequestMeta) {
  const retryAfter = options.throttled ? await throttle(meta.ip) : 0;
  if (retryAfter > 0) {
    const named = await options.names?.(request).catch(() => null);
    const whose = named ? await throttledWhose(named).catch(() => null) : null;
    const facts = { reason: "throttled", whose: whose ?? undefined, counted: "throttled" as const };
    const message = `Too many requests from this address: retry in ${retryAfter} s.`;
    const response = options.enhanced
      ? enhancedError(429, "too_many_requests", message, meta.requestId, "retry", facts)
      : new OAuthError("too_many_requests", message, 429).because(facts).toResponse();
    response.headers["retry-after"] = String(retryAfter);
    return response;
  }
  try {
    return await handler(request, meta);
  } catch (error) {
    if (error instanceof OAuthError) return error.toResponse();
    console.error(
      `[dcr] ${request.method} ${pathOf(request.target)} failed (request ${meta.requestId}):`,
      error,
    );
    return new OAuthError(
      "server_error",
      `The server could not complete the request (request ${meta.requestId}).`,
      500,
    ).toResponse();
  }
}

// ── Registration (docs/client-api.md §1, RFC 7591) ────────────────────────────────────────────────────────────────

const ADOBE_PARAMS = new Set(["software_statement", "redirect_uri"]);

/** The statement a registration request presents, read leniently (for a throttled request's count only). */
async function presentedStatement(request: ClientRequest) {
  const body = JSON.parse(await readBody(request)) as { software_statement?: unknown } | null;
  const statement = body?.software_statement;
  return typeof statement === "string" && statement ? { softwareStatement: statement } : null;
}

/** The client a token request authenticates as, read leniently (for a throttled request's count only). */
async function presentedClient(request: ClientRequest) {
  const basic = basicCredentials(request);
  if (basic && basic !== "malformed") return { clientId: basic.clientId };
  const clientId = collectParams(await readBody(request), request.target).get("client_id");
  return clientId ? { clientId } : null;
}

export function registerHandler(face: Face) {
  return endpoint({ name: "register", throttled: true, names: presentedStatement }, async (request, meta) => {
    requireJson(request);
    requireAcceptJson(request);
    const text = await readBody(request);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OAuthError("invalid_request", "The body is not valid JSON.");
    }
    assertNoDuplicateKeys(text);
    if (typeof body !== "object" || body === null || Array.isArray(body))
      throw new OAuthError("invalid_request", "The body must be a JSON object.");
    const fields = body as Record<string, unknown>;
    if (face === "adobe") {
      const unsupported = Object.keys(fields).find((k) => !ADOBE_PARAMS.has(k));
      if (unsupported)
        throw new OAuthError("invalid_request", `Unsupported parameter: ${unsupported.slice(0, 64)}.`);
    }
    if (typeof fields.software_statement !== "string" || !fields.software_statement) {
      throw new OAuthError("invalid_request", "software_statement is required (the signed JWT).");
    }
    const redirectUri =
      face === "adobe" ? optionalString(fields.redirect_uri, "redirect_uri") : rfcRedirectUri(fields);
    if (face === "rfc") checkRfcMetadata(fields);

    const client = await registerClient({
      softwareStatement: fields.software_statement,
      redirectUri,
      deviceInfo: parseDeviceInfo(request.header("x-device-info"), request.header("user-agent")),
      request: meta,
      simulationTicket: request.header(SIMULATION_TICKET_HEADER),
    });
    const registered = {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      client_id_issued_at: Math.floor(client.issuedAt.getTime() / 1000),
      redirect_uris: client.redirectUris,
      grant_types: ["client_credentials"],
    };
    if (face === "adobe") return jsonResponse({ ...registered, scopes: client.scopes }, 201);
    return jsonResponse(
      {
        ...registered,
        client_secret_expires_at: 0,
        scope: client.scopes.join(" "),
        token_endpoint_auth_method:
          typeof fields.token_endpoint_auth_method === "string"
            ? fields.token_endpoint_auth_method
            : "client_secret_basic",
      },
      201,
    );
  });
}

function optionalString(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value.length > 2048)
    throw new OAuthError("invalid_request", `${name} must be a string.`);
  return value;
}

function rfcRedirectUri(fields: Record<string, unknown>): string | null {
  if (fields.redirect_uris === undefined) return optionalString(fields.redirect_uri, "redirect_uri");
  if (
    !Array.isArray(fields.redirect_uris) ||
    fields.redirect_uris.length > 1 ||
    fields.redirect_uris.some((u) => typeof u !== "string")
  ) {
    throw new OAuthError("invalid_redirect_uri", "redirect_uris must be an array with at most one URI.");
  }
  return (fields.redirect_uris[0] as string | undefined) ?? null;
}

function checkRfcMetadata(fields: Record<string, unknown>) {
  const grants = fields.grant_types;
  if (grants !== undefined && (!Array.isArray(grants) || grants.some((g) => g !== "client_credentials"))) {
    throw new OAuthError("invalid_client_metadata", "Only the client_credentials grant type is supported.");
  }
  const method = fields.token_endpoint_auth_method;
  if (method !== undefined && method !== "client_secret_basic" && method !== "client_secret_post") {
    throw new OAuthError(
      "invalid_client_metadata",
      "token_endpoint_auth_method must be client_secret_basic or client_secret_post.",
    );
  }
}

// ── Tokens (docs/client-api.md §2, RFC 6749 §4.4) ─────────────────────────────────────────────────────────────────

async function clientCredentialsRequest(request: ClientRequest, face: Face) {
  if (mediaType(request) !== "application/x-www-form-urlencoded") {
    throw new OAuthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded.");
  }
  const params = collectParams(await readBody(request), request.target);
  const basic = clientAuthorization(request, face);
  if (basic && (params.has("client_id") || params.has("client_secret"))) {
    throw new OAuthError(
      "invalid_request",
      "Use one way of authenticating the client: Basic or the request body, not both.",
    );
  }
  const grantType = params.get("grant_type");
  if (!grantType) throw new OAuthError("invalid_request", "grant_type is required.");
  if (grantType !== "client_credentials")
    throw new OAuthError("unsupported_grant_type", "Only grant_type=client_credentials is supported.");
  const clientId = basic?.clientId ?? params.get("client_id");
  const clientSecret = basic?.clientSecret ?? params.get("client_secret");
  if (!clientId || !clientSecret)
    throw new OAuthError("invalid_request", "client_id and client_secret are required.");
  return { clientId, clientSecret, usedBasic: Boolean(basic) };
}

/**
 * Basic client credentials, if any. An Authorization header that is not valid Basic is a failed client
 * authentication on the standard face (RFC 6749 §5.2: 401 with a challenge) and, as every error of the
 * Adobe token endpoint, a 400 there.
 */
function clientAuthorization(request: ClientRequest, face: Face) {
  const basic = basicCredentials(request);
  if (basic !== "malformed") return basic;
  const message = "The Authorization header is not valid Basic client credentials.";
  if (face === "adobe") throw new OAuthError("invalid_request", message);
  throw new OAuthError("invalid_client", message, 401, { "www-authenticate": 'Basic realm="oauth2"' });
}

export function tokenHandler(face: Face) {
  return endpoint({ name: "token", throttled: true, names: presentedClient }, async (request, meta) => {
    const { clientId, clientSecret, usedBasic } = await clientCredentialsRequest(request, face);
    const invalidClient = (description: string) =>
      face === "rfc" && usedBasic
        ? new OAuthError("invalid_client", description, 401, {
            "www-authenticate": 'Basic realm="oauth2", error="invalid_client"',
          })
        : new OAuthError("invalid_client", description, 400);
    const token = await issueToken(clientId, clientSecret, meta, invalidClient);
    if (face === "adobe") {
      return jsonResponse(
        {
          id: token.id,
          access_token: token.accessToken,
          created_at: token.createdAt.getTime(),
          expires_in: token.expiresIn,
          token_type: "bearer",
        },
        201,
      );
    }
    return jsonResponse(
      {
        access_token: token.accessToken,
        token_type: "Bearer",
        expires_in: token.expiresIn,
        scope: token.scopes.join(" "),
      },
      200,
    );
  });
}

// ── The hosted statement (docs/client-api.md, "Statement URL") ──────────────────────────────────────────────

/**
 * `GET /o/client/statement/{applicationId}`: the application's newest active statement, when its admins turned
 * the URL on, so an app that fetches its statement at start picks up a replacement without a new build.
 * Cacheable, and revalidated: the ETag is the statement's fingerprint, a matching If-None-Match is a 304.
 */
export const statementUrlHandler = endpoint({ name: "statement", throttled: true }, async (request) => {
  const served = await fetchCurrentStatement(pathOf(request.target).slice(STATEMENT_URL_PREFIX.length));
  if (!served) {
    throw new OAuthError(
      "not_found",
      "No statement is published at this URL: the application is unknown, its statement URL is off, or it has no active statement that has not expired.",
      404,
    );
  }
  const headers = { etag: `"${served.fingerprint}"`, "cache-control": "no-cache" };
  const known = (request.header("if-none-match") ?? "").split(",").map((t) => t.trim().replace(/^W\//, ""));
  if (known.includes(headers.etag) || known.includes("*")) return { status: 304, headers, body: "" };
  const json = { "content-type": "application/json;charset=utf-8" };
  return {
    status: 200,
    headers: { ...json, ...headers },
    body: JSON.stringify({ software_statement: served.jwt }),
  };
});

// ── The protected sample resource (docs/client-api.md §3) ────────────────────────────────────────────────────────

export function configurationHandler(serviceProvider: string) {
  return endpoint({ name: "resource", throttled: true, enhanced: true }, async (request, meta) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.header("authorization") ?? "")?.[1] ?? "";
    let token;
    try {
      token = await validateAccessToken(bearer);
    } catch (error) {
      if (!(error instanceof AccessTokenError)) throw error;
      return withBearerChallenge(
        enhancedError(
          401,
          "invalid_access_token_client_application",
          error.message,
          meta.requestId,
          undefined,
          { reason: error.problem, whose: error.whose },
        ),
      );
    }
    if (token.organizationSlug !== serviceProvider) {
      return withBearerChallenge(
        enhancedError(
          401,
          "invalid_access_token_service_provider",
          "The access token is not valid for this service provider.",
          meta.requestId,
          undefined,
          {
            reason: "service_provider",
            whose: { organizationId: token.organizationId, clientId: token.clientId },
          },
        ),
      );
    }
    return jsonResponse(
      {
        serviceProvider: token.organizationSlug,
        displayName: token.organizationName,
        clientId: token.clientId,
        configuration: {
          tokenExpiresAt: new Date(token.exp * 1000).toISOString(),
          scopes: token.scopes.split(",").filter(Boolean),
          mvpds: [],
        },
      },
      200,
    );
  });
}

function withBearerChallenge(response: ClientResponse): ClientResponse {
  response.headers["www-authenticate"] = 'Bearer error="invalid_token"';
  return response;
}

// ── Introspection (RFC 7662) and discovery (RFC 8414) ─────────────────────────────────────────────────────

// Throttled like the token endpoint: each call checks a client secret, so unthrottled it would be a free oracle
// for guessing one. A token of another organization answers exactly as an unknown one does.
export const introspectHandler = endpoint({ name: "introspect", throttled: true }, async (request) => {
  if (mediaType(request) !== "application/x-www-form-urlencoded") {
    throw new OAuthError("invalid_request", "Content-Type must be application/x-www-form-urlencoded.");
  }
  const params = collectParams(await readBody(request), request.target);
  const basic = clientAuthorization(request, "rfc");
  if (basic && (params.has("client_id") || params.has("client_secret"))) {
    throw new OAuthError(
      "invalid_request",
      "Use one way of authenticating the client: Basic or the request body, not both.",
    );
  }
  const clientId = basic?.clientId ?? params.get("client_id") ?? "";
  const client = await authenticateClient(clientId, basic?.clientSecret ?? params.get("client_secret") ?? "");
  if (!client) {
    throw new OAuthError(
      "invalid_client",
      "Client authentication failed.",
      401,
      basic ? { "www-authenticate": 'Basic realm="oauth2"' } : {},
    );
  }
  const tokenParam = params.get("token");
  if (!tokenParam) throw new OAuthError("invalid_request", "token is required.");
  try {
    const token = await validateAccessToken(tokenParam);
    if (token.organizationId !== client.organizationId) return jsonResponse({ active: false }, 200);
    return jsonResponse(
      {
        active: true,
        client_id: token.clientId,
        sub: token.clientId,
        scope: token.scopes.split(",").join(" "),
        token_type: "Bearer",
        iat: token.iat,
        exp: token.exp,
        iss: env.PUBLIC_URL,
        jti: token.jti,
      },
      200,
    );
  } catch (error) {
    if (error instanceof AccessTokenError) return jsonResponse({ active: false }, 200);
    throw error;
  }
});

export function metadataHandler(): ClientResponse {
  const base = env.PUBLIC_URL;
  return {
    status: 200,
    headers: { "content-type": "application/json;charset=utf-8", "cache-control": "public, max-age=300" },
    body: JSON.stringify({
      issuer: base,
      registration_endpoint: `${base}/oauth2/register`,
      token_endpoint: `${base}/oauth2/token`,
      introspection_endpoint: `${base}/oauth2/introspect`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      response_types_supported: [],
      scopes_supported: ["api:client:v2"],
    }),
  };
}
