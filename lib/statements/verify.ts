import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  importSPKI,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from "jose";
import { timeInText } from "@/lib/time-format";
import { claimDate } from "./dates";
import { StatementVerificationError, type StatementFailure } from "./failure";
import { statementIdentity } from "./identity";

export { StatementVerificationError, type StatementFailure } from "./failure";
export { statementIdentity } from "./identity";

/** The only algorithms a statement may be signed with. Never `none`, never an HMAC. */
export const STATEMENT_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"] as const;
export const MAX_STATEMENT_BYTES = 16 * 1024;
const CLOCK_TOLERANCE_SECONDS = 60;

/** The public keys of an issuer, as an organization configured them (or this service publishes them). */
export type IssuerKeys = { jwks: JSONWebKeySet } | { pem: string };
/**
 * The key sets a statement from `iss` may verify with: none when the issuer is not trusted, one for an
 * organization, several when a statement no organization holds is checked against every organization's.
 */
export type IssuerKeyResolver = (iss: string) => Promise<IssuerKeys[]>;

export type VerifiedStatement = {
  jwt: string;
  header: ProtectedHeaderParameters;
  claims: JWTPayload & { software_id?: string; software_version?: string; client_name?: string };
  /** Its identity (./identity.ts), stored as the statement's fingerprint. */
  fingerprint: string;
  issuer: string;
  subject: string | null;
  softwareId: string | null;
  kid: string | null;
  algorithm: string;
};

const DATE_CLAIMS = ["exp", "iat", "nbf"] as const;

/**
 * The one verification of a software statement, used by upload and by the registration endpoint. Checks, in
 * order: size, shape and canonical encoding, algorithm allow-list, required claims, date claims within
 * 1970..9999, issuer trust, key id, signature, exp/nbf. Each
 * failure has its own code and a message a person can act on.
 */
export async function verifySoftwareStatement(
  input: string,
  keysFor: IssuerKeyResolver,
): Promise<VerifiedStatement> {
  const jwt = input.trim();
  if (Buffer.byteLength(jwt, "utf8") > MAX_STATEMENT_BYTES) {
    throw new StatementVerificationError(
      "too_large",
      `The statement is larger than ${MAX_STATEMENT_BYTES / 1024} KiB.`,
    );
  }
  // The alphabet and encoding of each part are statementIdentity's to check, with their own code.
  if (!/^[^.\s]+\.[^.\s]+\.[^.\s]*$/.test(jwt)) {
    throw new StatementVerificationError(
      "malformed",
      "This is not a signed JWT: expected three base64url parts separated by dots (header.claims.signature).",
    );
  }

  const fingerprint = statementIdentity(jwt);

  let header: ProtectedHeaderParameters;
  let unverified: JWTPayload;
  try {
    header = decodeProtectedHeader(jwt);
    unverified = decodeJwt(jwt);
  } catch {
    throw new StatementVerificationError(
      "malformed",
      "The header or the claims are not valid base64url-encoded JSON.",
    );
  }

  const alg = typeof header.alg === "string" ? header.alg : "";
  if (!(STATEMENT_ALGORITHMS as readonly string[]).includes(alg)) {
    const what = alg === "none" ? "not signed at all (alg none)" : `signed with ${alg || "no algorithm"}`;
    throw new StatementVerificationError(
      "unsupported_algorithm",
      `The statement is ${what}: only ${STATEMENT_ALGORITHMS.join(", ").replace(/, (?=[^,]*$)/, " and ")} are accepted.`,
    );
  }

  const issuer = typeof unverified.iss === "string" ? unverified.iss : "";
  if (!issuer)
    throw new StatementVerificationError("missing_claims", "The statement has no issuer (iss claim).");
  const subject = typeof unverified.sub === "string" && unverified.sub ? unverified.sub : null;
  const softwareId =
    typeof unverified.software_id === "string" && unverified.software_id ? unverified.software_id : null;
  if (!subject && !softwareId) {
    throw new StatementVerificationError(
      "missing_claims",
      "The statement names no application: it needs a sub or software_id claim.",
      issuer,
    );
  }

  for (const name of DATE_CLAIMS) {
    const value = unverified[name];
    if (value !== undefined && !claimDate(value)) {
      throw new StatementVerificationError(
        "invalid_date",
        `The statement's ${name} claim (${String(JSON.stringify(value)).slice(0, 40)}) is not a date between 1970 and 9999 in seconds.`,
        issuer,
      );
    }
  }

  const keySets = await keysFor(issuer);
  if (keySets.length === 0) {
    throw new StatementVerificationError(
      "untrusted_issuer",
      `Issuer ${issuer} is not trusted in this organization: add its keys in Settings → Trusted issuers.`,
      issuer,
    );
  }

  const kid = typeof header.kid === "string" ? header.kid : null;
  const options = { algorithms: [...STATEMENT_ALGORITHMS], issuer, clockTolerance: CLOCK_TOLERANCE_SECONDS };
  let claims: JWTPayload | undefined;
  let firstError: unknown;
  for (const keys of keySets) {
    try {
      const result =
        "jwks" in keys
          ? await jwtVerify(jwt, createLocalJWKSet(keys.jwks), options)
          : await jwtVerify(jwt, await importSPKI(keys.pem, alg), options);
      claims = result.payload;
      break;
    } catch (error) {
      firstError ??= error;
    }
  }
  if (!claims) throw explain(firstError, issuer, kid, alg);

  return {
    jwt,
    header,
    claims,
    fingerprint,
    issuer,
    subject,
    softwareId,
    kid,
    algorithm: alg,
  };
}

function explain(
  error: unknown,
  issuer: string,
  kid: string | null,
  alg: string,
): StatementVerificationError {
  const fail = (code: StatementFailure, message: string) =>
    new StatementVerificationError(code, message, issuer);
  if (error instanceof errors.JWTExpired) {
    return fail("expired", `The statement expired ${dateOf(error.payload.exp)}.`);
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === "nbf") {
    return fail(
      "not_yet_valid",
      `The statement is not valid yet: it becomes valid ${dateOf(error.payload.nbf)}.`,
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return fail(
      "unknown_key",
      kid
        ? `Issuer ${issuer} publishes no ${alg} key with kid "${kid}".`
        : `Issuer ${issuer} publishes no ${alg} key that matches this statement (it has no kid).`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return fail(
      "bad_signature",
      `The signature does not verify with the key of issuer ${issuer}${kid ? ` (kid "${kid}")` : ""}: the statement was altered or signed with another key.`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return fail("unknown_key", `The configured key of issuer ${issuer} cannot verify a ${alg} signature.`);
  }
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) {
    return fail("malformed", `The statement is not a valid JWS: ${(error as Error).message}.`);
  }
  if (error instanceof TypeError) {
    return fail("unknown_key", `The configured key of issuer ${issuer} cannot verify a ${alg} signature.`);
  }
  return fail("bad_signature", `The statement could not be verified: ${(error as Error).message}.`);
}

function dateOf(seconds: unknown): string {
  const date = claimDate(seconds);
  return date ? timeInText(date) : "an unknown date";
}
