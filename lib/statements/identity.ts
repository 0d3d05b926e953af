import { createHash } from "node:crypto";
import { StatementVerificationError } from "./failure";

/**
 * A statement's identity: what its issuer signed, never the text that carries it. Base64url leaves unused
 * bits in a segment's last character and an ECDSA signature has two valid forms (s and n−s), so one signed
 * statement has many texts; a hash of the text let a byte-different copy of a held statement pass as a new
 * one. The identity is the SHA-256 of
 *
 * - `iss` and `jti` when the claims have both as strings: an issuer names one statement per `jti`
 *   (RFC 7519 §4.1.7), so two payloads it signed with the same `jti` are one statement, held (and revoked) once;
 * - otherwise the JWS signing input (header and claims, each in its one base64url encoding).
 *
 * Segments must be canonical base64url (no padding, no unused bits set, nothing outside the alphabet): the
 * signature too, so that a copy differing only there is refused rather than recognised. This is the one place
 * identity is computed: upload, the registration endpoint (its lookup and its verification cache), the
 * simulator's ticket and Find all use it. It is a few base64 decodes, one JSON parse and one SHA-256.
 */
export function statementIdentity(jwt: string): string {
  const segments = jwt.split(".");
  if (segments.length !== 3)
    throw new StatementVerificationError(
      "malformed",
      "This is not a signed JWT: expected three base64url parts separated by dots (header.claims.signature).",
    );
  const [, payload] = segments.map((segment, i) => canonical(segment, PARTS[i]!));
  let claims: unknown;
  try {
    claims = JSON.parse(payload!.toString("utf8"));
  } catch {
    throw new StatementVerificationError(
      "malformed",
      "The header or the claims are not valid base64url-encoded JSON.",
    );
  }
  const { iss, jti } = (claims ?? {}) as { iss?: unknown; jti?: unknown };
  if (typeof iss === "string" && iss && typeof jti === "string" && jti)
    return sha256(`iss+jti\n${JSON.stringify([iss, jti])}`);
  // Canonical, so this text is the one encoding of the header and claims bytes.
  return sha256(`${segments[0]}.${segments[1]}`);
}

/**
 * The identity to look a presented statement up by, or null when it has none (verification says why). Every
 * installed copy of an application presents the same text: the identities of the last texts seen are kept
 * (it is a pure function of the text), so a burst of registrations computes it once.
 */
export function readableIdentity(jwt: string): string | null {
  const known = identities.get(jwt);
  if (known !== undefined) return known;
  let identity: string | null;
  try {
    identity = statementIdentity(jwt);
  } catch (error) {
    if (!(error instanceof StatementVerificationError)) throw error;
    identity = null;
  }
  if (jwt.length > KEPT_LENGTH) return identity;
  if (identities.size >= KEPT_IDENTITIES) identities.delete(identities.keys().next().value!);
  identities.set(jwt, identity);
  return identity;
}

/** At most 1,000 texts of at most 8 KiB (a statement is one or two): 8 MiB at worst. */
const KEPT_IDENTITIES = 1_000;
const KEPT_LENGTH = 8192;
const identities = new Map<string, string | null>();

const PARTS = ["header", "claims", "signature"] as const;

/** A segment's bytes, when the segment is the one base64url text of those bytes. */
function canonical(segment: string, part: (typeof PARTS)[number]): Buffer {
  const bytes = Buffer.from(segment, "base64url");
  if (/^[A-Za-z0-9_-]*$/.test(segment) && bytes.toString("base64url") === segment) return bytes;
  throw new StatementVerificationError(
    "non_canonical",
    `The statement's ${part} is not canonical base64url (padding, a character outside A–Z a–z 0–9 - _, or unused bits set in its last character): send the statement exactly as its issuer produced it.`,
  );
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * A stored JWT in its canonical encoding: what earlier versions accepted could carry unused bits, and the
 * migration to this identity (server/statement-identities.ts) must recognise such a copy as the statement
 * it copies.
 */
export function canonicalJwt(jwt: string): string {
  return jwt
    .split(".")
    .map((segment) => Buffer.from(segment, "base64url").toString("base64url"))
    .join(".");
}
