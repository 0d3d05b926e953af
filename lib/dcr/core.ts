import "server-only";
import { hash, randomBytes, timingSafeEqual } from "node:crypto";
import { errors, jwtVerify } from "jose";
import { v7 as timeOrderedId } from "uuid";
import type { AuditContext, RequestMeta } from "@/lib/audit/event";
import { env } from "@/lib/env";
import { issuerKeysForOrg, issuerKeysOfAnyOrg } from "@/lib/issuers/service";
import { activeSigningKey, SIGNING_ALG } from "@/lib/keys/service";
import { readableIdentity } from "@/lib/statements/identity";
import {
  StatementVerificationError,
  verifySoftwareStatement,
  type StatementFailure,
} from "@/lib/statements/verify";
import { verifySimulationTicket } from "@/lib/simulator/ticket";
import type { RefusalReason } from "@/lib/activity/types";
import { deviceHash } from "./device-hash";
import { platformOf, type DeviceInfo } from "./device-info";
import type { ClientResponse, Whose } from "./exchange";
import { OAuthError } from "./responses";
import { signRs256 } from "./sign";
import { dcrStore, type KnownStatement, type NewRegistration, type KnownClient } from "./store";
import { accessTokenKeys } from "./token-keys";

/**
 * The client-registration core behind both faces (/o/client/* and /oauth2/*): register a client with a
 * software statement, issue it access tokens, and validate those tokens for protected resources. It knows
 * nothing of HTTP framing; lib/dcr/handlers.ts does.
 */

const statementOf = (known: KnownStatement) => ({
  organizationId: known.organizationId,
  applicationId: known.applicationId,
  statementId: known.id,
});

const clientOf = (client: KnownClient, clientId: string): Whose => ({
  organizationId: client.organizationId,
  applicationId: client.applicationId,
  statementId: client.statementId,
  clientId,
});

const clientActor = (request: RequestMeta): AuditContext => ({
  actor: { userId: null, email: null, role: "CLIENT", actingFor: false },
  request,
});

export const hashSecret = (secret: string) => hash("sha256", secret, "buffer");

// ── Registration ──────────────────────────────────────────────────────────────────────────────────────────

export type RegistrationRequest = {
  softwareStatement: string;
  redirectUri: string | null;
  deviceInfo: DeviceInfo | null;
  request: RequestMeta;
  /** The dashboard simulator's ticket (lib/simulator/ticket.ts): the only way a registration is marked simulated. */
  simulationTicket?: string | null;
};

export type RegisteredClient = {
  clientId: string;
  clientSecret: string;
  issuedAt: Date;
  redirectUris: string[];
  scopes: readonly string[];
  organizationId: string;
  statementId: string;
};

export async function registerClient(req: RegistrationRequest): Promise<RegisteredClient> {
  const jwt = req.softwareStatement.trim();
  const fingerprint = readableIdentity(jwt);
  const store = dcrStore();
  // At most one row: a statement is held by one organization (a unique index on its identity). One that has
  // no identity (not canonical base64url) is refused by the verification below.
  const known = fingerprint ? await store.statementByFingerprint(fingerprint) : null;
  const reject = (error: OAuthError, reason: string, counted?: RefusalReason): never => {
    throw error.because({
      reason,
      whose: known ? statementOf(known) : undefined,
      audit: {
        action: "client.registration_rejected",
        organizationId: known?.organizationId ?? null,
        targetType: "statement",
        targetId: known?.id,
        after: { error: error.error, reason, fingerprint },
      },
      counted,
    });
  };

  try {
    const verification = known && fingerprint && `${fingerprint}@${known.issuerGeneration}`;
    if (!verification || !recentlyVerified(verification, jwt)) {
      const verified = await verifySoftwareStatement(
        jwt,
        known ? issuerKeysForOrg(known.organizationId) : issuerKeysOfAnyOrg,
      );
      if (verification) rememberVerified(verification, jwt, verified.claims.exp);
    }
  } catch (error) {
    if (!(error instanceof StatementVerificationError)) throw error;
    return reject(
      new OAuthError("invalid_software_statement", publicReason(error)),
      error.code,
      "invalidStatement",
    );
  }
  if (!known || !fingerprint) {
    return reject(
      new OAuthError(
        "unapproved_software_statement",
        "The software statement verifies but is not one this service issued or an organization uploaded.",
      ),
      "unknown_statement",
    );
  }
  if (!known.active) {
    return reject(
      new OAuthError("unapproved_software_statement", "The software statement has been revoked."),
      "revoked",
      "revokedAtRegister",
    );
  }
  const domains = known.domains;
  if (req.redirectUri !== null && !redirectAllowed(req.redirectUri, domains)) {
    return reject(
      new OAuthError(
        "invalid_redirect_uri",
        `redirect_uri must use one of the application's domains (${domains.join(", ")}).`,
      ),
      "redirect_uri",
    );
  }

  const simulated = req.simulationTicket
    ? await verifySimulationTicket(req.simulationTicket, fingerprint, known.organizationId)
    : null;
  if (req.simulationTicket && !simulated) {
    return reject(
      new OAuthError(
        "invalid_request",
        "The simulation ticket is not valid for this statement, or has expired.",
      ),
      "simulation_ticket",
    );
  }

  // Time-ordered (UUIDv7) like the row's id: a client_id is no secret (its secret is), and an id that grows
  // with time lands at the end of the indexes that hold it (the client's unique key, the audit trail's target)
  // instead of on a random page of each, which measured 15–25 % of a registration's CPU time.
  const clientId = timeOrderedId();
  const clientSecret = randomBytes(32).toString("base64url");
  const tokenLifetimeOverride = simulated?.tokenLifetimeSeconds ?? null;
  const registration: NewRegistration = {
    id: timeOrderedId(),
    clientId,
    secretHash: hashSecret(clientSecret).toString("hex"),
    organizationId: known.organizationId,
    statementId: known.id,
    applicationId: known.applicationId,
    deviceInfo: req.deviceInfo ? JSON.stringify(req.deviceInfo) : null,
    platform: platformOf(req.deviceInfo),
    deviceModel: req.deviceInfo?.model ? String(req.deviceInfo.model).slice(0, 128) : null,
    redirectUri: req.redirectUri,
    ip: req.request.ip,
    userAgent: req.request.userAgent?.slice(0, 512) ?? null,
    simulated: Boolean(simulated),
    tokenLifetimeOverride,
    createdAt: new Date(),
  };
  await store.insertRegistration(
    registration,
    {
      ctx: clientActor(req.request),
      entry: {
        action: "client.registered",
        organizationId: known.organizationId,
        targetType: "client",
        targetId: clientId,
        after: {
          statementId: known.id,
          applicationId: known.applicationId,
          platform: registration.platform,
          simulated: registration.simulated,
        },
      },
    },
    deviceHash(registration),
  );
  return {
    clientId,
    clientSecret,
    issuedAt: registration.createdAt,
    redirectUris: req.redirectUri ? [req.redirectUri] : [],
    scopes: known.scopes,
    organizationId: known.organizationId,
    statementId: known.id,
  };
}

/**
 * Statements that verified in the last minute, by identity and the organization's issuer generation: every
 * installed copy of an application presents the same statement, so its signature need not be checked (nor its
 * issuer's keys read) on each registration. The exact text that verified is kept with it: another text of the
 * same statement (the other ECDSA signature, or another payload with the same iss and jti) is verified in
 * full, and a copy with a broken signature never rides on the genuine one's check. Whether the statement is
 * still active is read from the database every time, and so is the generation, which removing a trusted issuer
 * bumps: what verified before the removal is verified again at the next call, on every instance. Only the
 * signature check, which cannot change for the same bytes and the same trusted keys within the statement's
 * `exp`, is remembered.
 */
const VERIFIED_TTL_MS = 60_000;
const verified = new Map<string, { jwt: string; until: number }>();

/** `verification` is the statement's identity and its organization's issuer generation. */
function recentlyVerified(verification: string, jwt: string): boolean {
  const entry = verified.get(verification);
  if (entry === undefined || entry.jwt !== jwt) return false;
  if (entry.until > Date.now()) return true;
  verified.delete(verification);
  return false;
}

function rememberVerified(verification: string, jwt: string, exp: number | undefined) {
  const until = Math.min(Date.now() + VERIFIED_TTL_MS, exp === undefined ? Infinity : exp * 1000);
  verified.set(verification, { jwt, until });
  if (verified.size > 10_000) verified.delete(verified.keys().next().value!);
}

/**
 * What a client is told when its statement does not verify. Whether some organization trusts the issuer, and
 * which key ids it has, is no business of an anonymous caller: those refusals read the same (the audit trail
 * keeps the exact reason).
 */
const KEY_FAILURES: ReadonlySet<StatementFailure> = new Set([
  "untrusted_issuer",
  "unknown_key",
  "bad_signature",
]);

function publicReason(error: StatementVerificationError): string {
  return KEY_FAILURES.has(error.code)
    ? "The software statement's signature does not verify with the keys of an issuer trusted here."
    : error.message;
}

/** A redirect URI is allowed when its host is one of the application's domains (`*.example.com` included). */
export function redirectAllowed(uri: string, domains: readonly string[]): boolean {
  let host: string;
  try {
    const url = new URL(uri);
    host = (url.hostname || url.host).toLowerCase();
    if (!host || url.username || url.password) return false;
  } catch {
    return false;
  }
  return domains.some((d) =>
    d.startsWith("*.") ? host.endsWith(d.slice(1)) && host.length > d.length - 1 : host === d,
  );
}

// ── Tokens ────────────────────────────────────────────────────────────────────────────────────────────────

export type IssuedToken = {
  id: string;
  accessToken: string;
  createdAt: Date;
  expiresIn: number;
  scopes: readonly string[];
};

const CLIENT_ID = /^[0-9a-f-]{36}$/i;

/** The token refusals the rollups count, by the reason the audit trail records. */
const TOKEN_REFUSALS: Partial<Record<string, RefusalReason>> = {
  wrong_secret: "badSecret",
  statement_revoked: "revokedAtToken",
};

const secretMatches = (presented: string, storedHex: string) =>
  timingSafeEqual(hashSecret(presented), Buffer.from(storedHex, "hex"));

export async function issueToken(
  clientId: string,
  clientSecret: string,
  request: RequestMeta,
  invalidClient: (description: string) => OAuthError,
): Promise<IssuedToken> {
  const store = dcrStore();
  const client = CLIENT_ID.test(clientId) ? await store.client(clientId) : null;
  const secretOk = client !== null && secretMatches(clientSecret, client.secretHash);
  const reason = !client
    ? "unknown_client"
    : !secretOk
      ? "wrong_secret"
      : !client.statementActive
        ? "statement_revoked"
        : null;
  if (reason || !client) {
    throw invalidClient(
      reason === "statement_revoked"
        ? "The software statement this client registered with has been revoked: obtain new credentials."
        : "Client authentication failed.",
    ).because({
      reason: reason ?? "unknown_client",
      whose: client ? clientOf(client, clientId) : undefined,
      audit: {
        action: "token.rejected",
        organizationId: client?.organizationId ?? null,
        targetType: "client",
        targetId: client ? clientId : undefined,
        after: { reason },
      },
      counted: TOKEN_REFUSALS[reason ?? ""],
    });
  }

  const lifetime = client.lifetimeSeconds;
  const key = await activeSigningKey();
  const createdAt = new Date();
  const iat = Math.floor(createdAt.getTime() / 1000);
  // Time-ordered (UUIDv7): each token's row lands at the end of its primary key and jti indexes, instead of on a
  // random page of indexes that grow by millions of rows.
  const id = timeOrderedId();
  const jti = timeOrderedId();
  const accessToken = await signRs256(
    { kid: key.kid, typ: "JWT" },
    {
      scopes: client.scopes.join(","),
      iss: env.PUBLIC_URL,
      sub: clientId,
      iat,
      nbf: iat,
      exp: iat + lifetime,
      jti,
    },
    key.privateKey,
  );
  await store.insertToken(
    {
      id,
      jti,
      registrationId: client.id,
      organizationId: client.organizationId,
      issuedAt: createdAt,
      expiresAt: new Date((iat + lifetime) * 1000),
    },
    client,
  );
  return { id, accessToken, createdAt, expiresIn: lifetime, scopes: client.scopes };
}

// ── Refusals ──────────────────────────────────────────────────────────────────────────────────────────────

export type Endpoint = "register" | "token" | "introspect" | "resource" | "statement";

/**
 * Records an error answer of a client endpoint: its Refusal row (support finds it by the request id the client
 * was given), with the audit event and the rollup count the core attached to it, in one commit. It never fails
 * the answer it accompanies.
 */
export async function recordRefusal(endpoint: Endpoint, request: RequestMeta, response: ClientResponse) {
  const refused = response.refusal;
  if (!refused) return;
  const { reason = refused.code, whose, audit, counted } = refused.facts ?? {};
  const at = new Date();
  try {
    await dcrStore().refuse(
      {
        id: timeOrderedId(),
        at,
        requestId: request.requestId,
        endpoint,
        status: response.status,
        code: refused.code,
        reason,
        description: refused.description.slice(0, 512),
        organizationId: whose?.organizationId ?? null,
        applicationId: whose?.applicationId ?? null,
        statementId: whose?.statementId ?? null,
        clientId: whose?.clientId ?? null,
        ip: request.ip,
        userAgent: request.userAgent?.slice(0, 512) ?? null,
      },
      audit && { ctx: clientActor(request), entry: audit },
      counted && whose?.applicationId && whose.statementId
        ? {
            who: { ...whose, applicationId: whose.applicationId, statementId: whose.statementId },
            counter: counted,
          }
        : undefined,
    );
  } catch (error) {
    console.error(`[dcr] refusal of request ${request.requestId} could not be recorded:`, error);
  }
}

/**
 * Whose a throttled request was: the statement it presented, or the client it authenticated as, when it names
 * one that exists (an unknown one belongs to no organization). One indexed read; null when it cannot tell.
 */
export async function throttledWhose(
  named: { softwareStatement: string } | { clientId: string },
): Promise<Whose | null> {
  const store = dcrStore();
  if ("softwareStatement" in named) {
    const fingerprint = readableIdentity(named.softwareStatement.trim());
    const known = fingerprint ? await store.statementByFingerprint(fingerprint) : null;
    return known && statementOf(known);
  }
  const client = CLIENT_ID.test(named.clientId) ? await store.client(named.clientId) : null;
  return client && clientOf(client, named.clientId);
}

// ── The statement URL ─────────────────────────────────────────────────────────────────────────────────────

const APPLICATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What an application's statement URL serves now (counted as fetched), or null when it serves nothing. */
export async function fetchCurrentStatement(applicationId: string) {
  const store = dcrStore();
  const served = APPLICATION_ID.test(applicationId) ? await store.currentStatement(applicationId) : null;
  if (served) await store.count(served, "statementFetches");
  return served;
}

// ── Protected resources ───────────────────────────────────────────────────────────────────────────────────

export type TokenProblem = "missing" | "invalid" | "expired" | "revoked" | "unknown_client";

export class AccessTokenError extends Error {
  constructor(
    readonly problem: TokenProblem,
    message: string,
    /** The token's client, when it names one registered here. */
    readonly whose?: Whose,
  ) {
    super(message);
  }
}

export type ValidToken = {
  clientId: string;
  jti: string;
  organizationId: string;
  organizationSlug: string;
  organizationName: string;
  scopes: string;
  iat: number;
  exp: number;
};

/**
 * Signature, expiry, and — on every call — whether the client's statement is still active: a token minted a
 * second before a revocation is refused right after it, without touching any token row.
 */
export async function validateAccessToken(token: string): Promise<ValidToken> {
  if (!token || token.length > 8192) throw new AccessTokenError("missing", "An access token is required.");
  let payload;
  try {
    payload = (await verifyAccessToken(token)).payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired)
      throw new AccessTokenError("expired", "The access token has expired: get a new one.");
    throw new AccessTokenError("invalid", "The access token is not valid.");
  }
  const clientId = String(payload.sub ?? "");
  const registration = CLIENT_ID.test(clientId) ? await dcrStore().client(clientId) : null;
  if (!registration)
    throw new AccessTokenError("unknown_client", "The access token's client is not registered.");
  if (!registration.statementActive) {
    throw new AccessTokenError(
      "revoked",
      "The software statement this client registered with has been revoked.",
      { organizationId: registration.organization.id, clientId },
    );
  }
  return {
    clientId,
    jti: String(payload.jti),
    organizationId: registration.organization.id,
    organizationSlug: registration.organization.slug,
    organizationName: registration.organization.name,
    scopes: String(payload.scopes ?? ""),
    iat: Number(payload.iat),
    exp: Number(payload.exp),
  };
}

/** An access token's signature, issuer and expiry, with this service's keys (reloaded once for a new kid). */
export async function verifyAccessToken(token: string) {
  const options = {
    algorithms: [SIGNING_ALG],
    issuer: env.PUBLIC_URL,
    requiredClaims: ["sub", "exp", "jti"],
  };
  try {
    return await jwtVerify(token, await accessTokenKeys(), options);
  } catch (error) {
    if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
    return jwtVerify(token, await accessTokenKeys(true), options);
  }
}

/** Client authentication for introspection: the same checks as the token endpoint, without minting. */
export async function authenticateClient(
  clientId: string,
  clientSecret: string,
): Promise<{ organizationId: string } | null> {
  const registration = CLIENT_ID.test(clientId) ? await dcrStore().client(clientId) : null;
  if (!registration || !secretMatches(clientSecret, registration.secretHash)) return null;
  return registration.statementActive ? { organizationId: registration.organization.id } : null;
}
