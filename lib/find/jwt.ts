import "server-only";
import { decodeJwt, decodeProtectedHeader, errors } from "jose";
import { verifyAccessToken } from "@/lib/dcr/core";
import { env } from "@/lib/env";
import { readableIdentity } from "@/lib/statements/identity";
import type { IssuerKeyResolver } from "@/lib/statements/verify";
import { StatementVerificationError, verifySoftwareStatement } from "@/lib/statements/verify";

/**
 * What a pasted JWT is and whether it verifies, decided on the server. The JWT itself is never stored, logged,
 * audited or put in a URL: Find turns it into the id of what it names (lib/find/service.ts).
 */
export type JwtVerdict = {
  kind: "access_token" | "software_statement";
  verifies: boolean;
  /** Why it does not verify (or that it expired), in words; null when it verifies. */
  problem: string | null;
  header: { alg: string | null; kid: string | null; typ: string | null };
  /** The claims a person needs to tell what it is; never the whole payload. */
  claims: Record<string, string | number>;
  /** Its identity as a statement (lib/statements/identity.ts); null when it is not canonical base64url. */
  fingerprint: string | null;
};

const JWT_SHAPE = /^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/;
const SHOWN_CLAIMS = [
  "iss",
  "sub",
  "aud",
  "jti",
  "software_id",
  "software_version",
  "client_name",
  "scopes",
  "iat",
  "nbf",
  "exp",
] as const;

export const looksLikeJwt = (text: string) => JWT_SHAPE.test(text);

/** Decodes and verifies a JWT: an access token this service issued, or else a software statement. */
export async function inspectJwt(jwt: string, statementKeys: IssuerKeyResolver): Promise<JwtVerdict | null> {
  let header, payload;
  try {
    header = decodeProtectedHeader(jwt);
    payload = decodeJwt(jwt);
  } catch {
    return null;
  }
  const claims: JwtVerdict["claims"] = {};
  for (const name of SHOWN_CLAIMS) {
    const value = payload[name];
    if (typeof value === "string") claims[name] = value.slice(0, 200);
    else if (typeof value === "number") claims[name] = value;
  }
  const base = {
    header: { alg: str(header.alg), kid: str(header.kid), typ: str(header.typ) },
    claims,
    fingerprint: readableIdentity(jwt),
  };
  const isAccessToken =
    payload.iss === env.PUBLIC_URL && typeof payload.sub === "string" && "scopes" in payload;
  if (isAccessToken) {
    try {
      await verifyAccessToken(jwt);
      return { ...base, kind: "access_token", verifies: true, problem: null };
    } catch (error) {
      // jose checks the signature before the claims: an expired token's signature did verify.
      if (error instanceof errors.JWTExpired)
        return { ...base, kind: "access_token", verifies: true, problem: "It has expired." };
      return {
        ...base,
        kind: "access_token",
        verifies: false,
        problem:
          "Its signature does not verify with this service's keys: it was not issued here, or was altered.",
      };
    }
  }
  try {
    await verifySoftwareStatement(jwt, statementKeys);
    return { ...base, kind: "software_statement", verifies: true, problem: null };
  } catch (error) {
    if (!(error instanceof StatementVerificationError)) throw error;
    const expiredOnly = error.code === "expired";
    return { ...base, kind: "software_statement", verifies: expiredOnly, problem: error.message };
  }
}

const str = (value: unknown) => (typeof value === "string" ? value.slice(0, 200) : null);
