import { createHash } from "node:crypto";
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import {
  MAX_STATEMENT_BYTES,
  StatementVerificationError,
  verifySoftwareStatement,
  type IssuerKeyResolver,
  type IssuerKeys,
  type StatementFailure,
} from "./verify";
import { exactTime } from "@/lib/time-format";

const ISS = "https://issuer.example.test";
const ALGORITHMS = ["RS256", "ES256", "PS256", "EdDSA"] as const;
type Alg = (typeof ALGORITHMS)[number];
type TestKey = { alg: Alg; kid: string; privateKey: CryptoKey; publicKey: CryptoKey; jwk: JWK; pem: string };

const keys = {} as Record<Alg, TestKey>;
let attacker: TestKey;

async function makeKey(alg: Alg, kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    alg,
    kid,
    privateKey,
    publicKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" },
    pem: await exportSPKI(publicKey),
  };
}

beforeAll(async () => {
  for (const alg of ALGORITHMS) keys[alg] = await makeKey(alg, `${alg.toLowerCase()}-1`);
  attacker = await makeKey("RS256", keys.RS256.kid); // same kid as the issuer's RS256 key, another key pair
});

const now = () => Math.floor(Date.now() / 1000);
const claimsOf = (extra: JWTPayload = {}): JWTPayload => ({
  iss: ISS,
  sub: "app-123",
  software_id: "app-123",
  software_version: "1.0.0",
  client_name: "Test App",
  iat: now(),
  nbf: now(),
  ...extra,
});

/** Signs `claims` with `key` (header kid = the key's kid unless overridden). */
function sign(
  key: TestKey,
  claims: JWTPayload = claimsOf(),
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT", ...header })
    .sign(key.privateKey);
}

const b64 = (value: unknown) =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
const jwksOf = (...list: TestKey[]): IssuerKeys => ({ jwks: { keys: list.map((k) => k.jwk) } });
const trusting =
  (issuerKeys: IssuerKeys | null): IssuerKeyResolver =>
  async (iss) =>
    iss === ISS && issuerKeys ? [issuerKeys] : [];

/** The StatementVerificationError a verification fails with (fails the test if it verifies). */
async function failure(
  jwt: string,
  resolver: IssuerKeyResolver = trusting(jwksOf(keys.RS256)),
): Promise<StatementVerificationError> {
  const error = await verifySoftwareStatement(jwt, resolver).then(
    () => {
      throw new Error("expected the statement to be rejected, but it verified");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StatementVerificationError);
  return error as StatementVerificationError;
}

async function expectFailure(
  jwt: string,
  code: StatementFailure,
  message: RegExp,
  resolver?: IssuerKeyResolver,
) {
  const error = await failure(jwt, resolver);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(message);
  return error;
}

describe("verifySoftwareStatement: accepted statements", () => {
  it.each(ALGORITHMS)("verifies %s against the issuer's JWKS", async (alg) => {
    const jwt = await sign(keys[alg]);
    const resolver = vi.fn(trusting(jwksOf(...ALGORITHMS.map((a) => keys[a]))));
    const result = await verifySoftwareStatement(jwt, resolver);
    expect(resolver).toHaveBeenCalledWith(ISS);
    expect(result).toMatchObject({
      jwt,
      issuer: ISS,
      subject: "app-123",
      softwareId: "app-123",
      kid: keys[alg].kid,
      algorithm: alg,
    });
    expect(result.header).toMatchObject({ alg, kid: keys[alg].kid });
    expect(result.claims).toMatchObject({
      iss: ISS,
      sub: "app-123",
      software_version: "1.0.0",
      client_name: "Test App",
    });
  });

  it.each(ALGORITHMS)("verifies %s against the issuer's PEM public key", async (alg) => {
    const jwt = await sign(keys[alg]);
    const result = await verifySoftwareStatement(jwt, trusting({ pem: keys[alg].pem }));
    expect(result).toMatchObject({ issuer: ISS, algorithm: alg, subject: "app-123" });
  });

  it("verifies with any one of several key sets, and explains the first one's refusal when none fits", async () => {
    const jwt = await sign(keys.ES256);
    const several: IssuerKeyResolver = async () => [{ pem: keys.RS256.pem }, jwksOf(keys.ES256)];
    await expect(verifySoftwareStatement(jwt, several)).resolves.toMatchObject({ algorithm: "ES256" });
    const none: IssuerKeyResolver = async () => [jwksOf(keys.RS256), jwksOf(keys.EdDSA)];
    expect((await failure(jwt, none)).code).toBe("unknown_key");
  });

  it("fingerprints the JWT by its identity: the hex SHA-256 of what was signed (whitespace trimmed)", async () => {
    const jwt = await sign(keys.ES256, claimsOf(), {});
    const result = await verifySoftwareStatement(`  ${jwt}\n`, trusting(jwksOf(keys.ES256)));
    expect(result.jwt).toBe(jwt);
    const signingInput = jwt.slice(0, jwt.lastIndexOf("."));
    expect(result.fingerprint).toBe(createHash("sha256").update(signingInput).digest("hex"));
  });

  it("accepts a statement with no exp (statements do not expire) and one naming only software_id", async () => {
    const jwt = await sign(keys.RS256, claimsOf({ sub: undefined, exp: undefined }));
    const result = await verifySoftwareStatement(jwt, trusting(jwksOf(keys.RS256)));
    expect(result).toMatchObject({ subject: null, softwareId: "app-123" });
  });

  it("tolerates clock skew of up to 60 s on exp and nbf", async () => {
    const jwt = await sign(keys.RS256, claimsOf({ exp: now() - 30, nbf: now() + 30 }));
    await expect(verifySoftwareStatement(jwt, trusting(jwksOf(keys.RS256)))).resolves.toMatchObject({
      issuer: ISS,
    });
  });
});

describe("verifySoftwareStatement: algorithms", () => {
  it("refuses an unsigned token (alg none)", async () => {
    const jwt = `${b64({ alg: "none", typ: "JWT" })}.${b64(claimsOf())}.`;
    await expectFailure(
      jwt,
      "unsupported_algorithm",
      /not signed at all \(alg none\).*RS256, PS256, ES256 and EdDSA/,
    );
  });

  it("refuses HS256 signed with the issuer's public key PEM as the HMAC secret (key confusion)", async () => {
    const jwt = await new SignJWT(claimsOf())
      .setProtectedHeader({ alg: "HS256", kid: keys.RS256.kid })
      .sign(new TextEncoder().encode(keys.RS256.pem));
    await expectFailure(jwt, "unsupported_algorithm", /signed with HS256/, trusting({ pem: keys.RS256.pem }));
    await expectFailure(jwt, "unsupported_algorithm", /signed with HS256/, trusting(jwksOf(keys.RS256)));
  });
});

describe("verifySoftwareStatement: keys and signatures", () => {
  it("rejects a statement signed by another key under the issuer's kid", async () => {
    const error = await expectFailure(
      await sign(attacker),
      "bad_signature",
      /signature does not verify.*kid "rs256-1"/,
    );
    expect(error.issuer).toBe(ISS);
  });

  it("rejects a wrong key with a PEM-configured issuer too", async () => {
    await expectFailure(
      await sign(attacker),
      "bad_signature",
      /signature does not verify/,
      trusting({ pem: keys.RS256.pem }),
    );
  });

  it("rejects an altered statement", async () => {
    const [header, , signature] = (await sign(keys.RS256)).split(".");
    const tampered = `${header}.${b64(claimsOf({ sub: "someone-else" }))}.${signature}`;
    await expectFailure(tampered, "bad_signature", /altered or signed with another key/);
  });

  it("reports an unknown kid", async () => {
    const jwt = await sign(keys.RS256, claimsOf(), { kid: "rotated-away" });
    await expectFailure(jwt, "unknown_key", /publishes no RS256 key with kid "rotated-away"/);
  });

  it("does not trust a key embedded in the token's own jwk header", async () => {
    const embedded = { kty: attacker.jwk.kty, n: attacker.jwk.n, e: attacker.jwk.e };
    const sameKid = await sign(attacker, claimsOf(), { jwk: embedded });
    const error = await failure(sameKid);
    expect(["bad_signature", "unknown_key"]).toContain(error.code);

    const ownKid = await sign(attacker, claimsOf(), {
      kid: "attacker",
      jwk: { ...embedded, kid: "attacker" },
    });
    expect(["bad_signature", "unknown_key"]).toContain((await failure(ownKid)).code);

    const noKid = await new SignJWT(claimsOf())
      .setProtectedHeader({ alg: "RS256", jwk: embedded })
      .sign(attacker.privateKey);
    expect(["bad_signature", "unknown_key"]).toContain((await failure(noKid)).code);
    expect(["bad_signature", "unknown_key"]).toContain(
      (await failure(noKid, trusting({ pem: keys.RS256.pem }))).code,
    );
  });

  it("names the settings page when the issuer is not trusted", async () => {
    const error = await expectFailure(
      await sign(keys.RS256),
      "untrusted_issuer",
      /Issuer https:\/\/issuer\.example\.test is not trusted.*Settings → Trusted issuers/,
      trusting(null),
    );
    expect(error.issuer).toBe(ISS);
  });
});

describe("verifySoftwareStatement: claims", () => {
  it("rejects an expired statement (beyond the 60 s tolerance), saying when it expired", async () => {
    const exp = now() - 120;
    await expectFailure(
      await sign(keys.RS256, claimsOf({ exp })),
      "expired",
      new RegExp(`expired .*\\(${exactTime(new Date(exp * 1000))}\\)`),
    );
  });

  it("rejects a statement that is not valid yet, saying from when", async () => {
    const nbf = now() + 3600;
    await expectFailure(
      await sign(keys.RS256, claimsOf({ nbf })),
      "not_yet_valid",
      new RegExp(`not valid yet: it becomes valid in .*\\(${exactTime(new Date(nbf * 1000))}\\)`),
    );
  });

  it("requires an issuer", async () => {
    await expectFailure(
      await sign(keys.RS256, claimsOf({ iss: undefined })),
      "missing_claims",
      /no issuer \(iss claim\)/,
    );
  });

  it("requires a sub or a software_id", async () => {
    const jwt = await sign(keys.RS256, claimsOf({ sub: undefined, software_id: undefined }));
    const error = await expectFailure(jwt, "missing_claims", /needs a sub or software_id claim/);
    expect(error.issuer).toBe(ISS);
  });
});

describe("verifySoftwareStatement: shape and size", () => {
  it("rejects a token that is not three dot-separated parts", async () => {
    await expectFailure("abc.def", "malformed", /three base64url parts.*header\.claims\.signature/);
    await expectFailure("a.b.c.d", "malformed", /three base64url parts/);
    await expectFailure("", "malformed", /not a signed JWT/);
  });

  it("rejects characters outside base64url, padding and unused bits set, naming the part", async () => {
    const [header, claims, signature] = (await sign(keys.RS256)).split(".");
    await expectFailure(`${header}.${claims}+/=.${signature}`, "non_canonical", /claims is not canonical/);
    await expectFailure(`${header}!.${claims}.${signature}`, "non_canonical", /header is not canonical/);
    await expectFailure(`${header}.${claims}.${signature}=`, "non_canonical", /signature is not canonical/);
    await expectFailure(`${header} .${claims}.${signature}`, "malformed", /three base64url parts/);
  });

  it("rejects a date claim outside 1970..9999 before any key is read, naming the claim", async () => {
    const resolver = vi.fn(trusting(jwksOf(keys.RS256)));
    for (const [name, value] of [
      ["exp", 1e13],
      ["exp", 1e20],
      ["exp", 8.64e12 + 1],
      ["exp", "soon"],
      ["iat", 1e13],
      ["nbf", -1],
    ] as const)
      await expectFailure(
        await sign(keys.RS256, claimsOf({ [name]: value })),
        "invalid_date",
        new RegExp(`${name} claim .* not a date between 1970 and 9999`),
        resolver,
      );
    expect(resolver).not.toHaveBeenCalled();
    // The last second of 9999 is a date: a statement may expire far in the future.
    const far = await sign(keys.RS256, claimsOf({ exp: 253_402_300_799 }));
    await expect(verifySoftwareStatement(far, resolver)).resolves.toMatchObject({ issuer: ISS });
  });

  it("rejects a header or claims that are not JSON", async () => {
    const [, claims, signature] = (await sign(keys.RS256)).split(".");
    await expectFailure(
      `${b64("not json")}.${claims}.${signature}`,
      "malformed",
      /not valid base64url-encoded JSON/,
    );
    await expectFailure(
      `${b64({ alg: "RS256" })}.${b64("[1,")}.${signature}`,
      "malformed",
      /not valid base64url-encoded JSON/,
    );
  });

  it("rejects a statement larger than 16 KiB before looking inside", async () => {
    const resolver = vi.fn(trusting(jwksOf(keys.RS256)));
    const big = await sign(keys.RS256, claimsOf({ padding: "x".repeat(MAX_STATEMENT_BYTES) }));
    expect(big.length).toBeGreaterThan(16 * 1024);
    await expectFailure(big, "too_large", /larger than 16 KiB/, resolver);
    await expectFailure("a".repeat(16 * 1024 + 1), "too_large", /larger than 16 KiB/, resolver);
    expect(resolver).not.toHaveBeenCalled();
  });
});
