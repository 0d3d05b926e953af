import { createHash } from "node:crypto";
import { generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { bitFlipped, malleated } from "@/test/harness/jws-variants";
import { canonicalJwt, readableIdentity, statementIdentity } from "./identity";

/** A statement's identity is what its issuer signed (or its iss and jti), never the text carrying it. */
const ISS = "https://issuer.example.test";
let es256: CryptoKey;
beforeAll(async () => {
  es256 = (await generateKeyPair("ES256")).privateKey;
});
const sign = (claims: Record<string, unknown>) =>
  new SignJWT({ iss: ISS, sub: "app", ...claims }).setProtectedHeader({ alg: "ES256" }).sign(es256);

describe("statementIdentity", () => {
  it("is the SHA-256 of the signing input when the statement has no jti", async () => {
    const jwt = await sign({});
    const input = jwt.slice(0, jwt.lastIndexOf("."));
    expect(statementIdentity(jwt)).toBe(createHash("sha256").update(input).digest("hex"));
  });

  it("is the same for the other ECDSA signature of the same statement", async () => {
    const jwt = await sign({});
    const other = malleated(jwt);
    expect(other).not.toBe(jwt);
    expect(statementIdentity(other)).toBe(statementIdentity(jwt));
  });

  it("is one for every payload its issuer signed with the same jti, and differs by issuer", async () => {
    const first = await sign({ jti: "j-1", software_version: "1" });
    const second = await sign({ jti: "j-1", software_version: "2" });
    expect(statementIdentity(second)).toBe(statementIdentity(first));
    expect(statementIdentity(await sign({ jti: "j-2" }))).not.toBe(statementIdentity(first));
    expect(statementIdentity(await sign({ jti: "j-1", iss: "https://other.test" }))).not.toBe(
      statementIdentity(first),
    );
    // A jti that is not a string does not name the statement: its signed bytes do.
    expect(statementIdentity(await sign({ jti: 7 }))).not.toBe(statementIdentity(await sign({ jti: 8 })));
  });

  it("refuses a text that is not the one base64url encoding of its bytes", async () => {
    // jose's ES256 signature is 64 bytes: 86 characters whose last holds 2 unused bits.
    const jwt = await sign({});
    expect(() => statementIdentity(bitFlipped(jwt))).toThrow(/signature is not canonical base64url/);
    const [h, p, s] = jwt.split(".");
    expect(() => statementIdentity(`${h}=.${p}.${s}`)).toThrow(/header is not canonical/);
    expect(() => statementIdentity(`${h}.${p}+.${s}`)).toThrow(/claims is not canonical/);
    expect(readableIdentity(bitFlipped(jwt))).toBeNull();
    expect(readableIdentity("not a jwt")).toBeNull();
  });

  it("canonicalJwt gives a stored copy with unused bits set the identity of what it copies", async () => {
    const jwt = await sign({});
    expect(canonicalJwt(bitFlipped(jwt))).toBe(jwt);
    expect(statementIdentity(canonicalJwt(bitFlipped(jwt)))).toBe(statementIdentity(jwt));
  });
});
