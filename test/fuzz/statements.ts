import { createHmac, sign, type KeyObject } from "node:crypto";
import { hostileString, hostileValue, invalidUtf8, type Rng } from "./random";

/**
 * Hostile software statements: a stored statement mutated, or new ones signed with keys the server must not
 * trust for them (an attacker's key announced in the token's own `jwk`/`jku`/`x5u`/`x5c` header, this service's
 * public key used as an HMAC secret, `alg: none`), or properly signed by a trusted issuer but carrying `crit`
 * headers, huge or deeply nested claims, duplicate keys and invalid UTF-8.
 */
export type StatementKeys = {
  /** A statement this service issued and stored (the one valid input, never sent unmodified). */
  stored: string;
  /** This service's issuer (`iss` of what it signs), its key id and its public JWK. */
  serviceIss: string;
  serviceKid: string;
  servicePublicJwk: Record<string, unknown>;
  /** An issuer the fuzzing organization trusts: statements it signs verify, but none is stored. */
  trusted: { iss: string; kid: string; privateKey: KeyObject };
  /** A key no one trusts. */
  attacker: { privateKey: KeyObject; publicJwk: Record<string, unknown> };
  applicationId: string;
};

/** `verifies`: a trusted issuer's valid signature, so uploading it would store it (only the register endpoint may get those). */
export type HostileStatement = { jwt: string; verifies: boolean; kind: string };

const b64u = (data: string | Buffer) => Buffer.from(data).toString("base64url");
const json = (value: unknown) => JSON.stringify(value);
const now = () => Math.floor(Date.now() / 1000);

/** A JWS signed RS256 over exactly these header and claims bytes. */
export function signed(headerText: string | Buffer, payloadText: string | Buffer, key: KeyObject): string {
  const input = `${b64u(headerText)}.${b64u(payloadText)}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

export function hostileStatement(rng: Rng, keys: StatementKeys): HostileStatement {
  const [storedHeader, storedPayload, storedSignature] = keys.stored.split(".") as [string, string, string];
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: keys.trusted.iss,
    sub: keys.applicationId,
    iat: now(),
    nbf: now(),
    jti: rng.text(12),
    ...extra,
  });
  const trustedHeader = (extra: Record<string, unknown> = {}) => ({
    alg: "RS256",
    typ: "JWT",
    kid: keys.trusted.kid,
    ...extra,
  });
  const text = (value: unknown) =>
    typeof value === "string" || Buffer.isBuffer(value) ? value : json(value);
  const byTrusted = (kind: string, header: unknown, payload: unknown, verifies: boolean) => ({
    kind,
    verifies,
    jwt: signed(text(header), text(payload), keys.trusted.privateKey),
  });

  return rng.pick<() => HostileStatement>([
    // Wrong or missing algorithms over the stored statement's claims and signature.
    () => {
      const alg = rng.pick<unknown>([
        "none",
        "None",
        "NONE",
        "nOnE",
        "HS256",
        "HS512",
        "RS512",
        "ES384",
        "PS512",
        "",
        null,
        1,
        ["RS256"],
        "RS256 ",
      ]);
      const header = { ...(JSON.parse(Buffer.from(storedHeader, "base64url").toString()) as object), alg };
      const signature = rng.pick(["", storedSignature, "AAAA"]);
      return { kind: "alg", verifies: false, jwt: `${b64u(json(header))}.${storedPayload}.${signature}` };
    },
    // Algorithm confusion: this service's public key as an HMAC secret.
    () => {
      const header = b64u(json({ alg: "HS256", typ: "JWT", kid: keys.serviceKid }));
      const payload = b64u(json({ iss: keys.serviceIss, sub: keys.applicationId, iat: now() }));
      const secret = rng.chance(0.5) ? json(keys.servicePublicJwk) : String(keys.servicePublicJwk.n);
      const mac = createHmac("sha256", secret).update(`${header}.${payload}`).digest("base64url");
      return { kind: "hmac-confusion", verifies: false, jwt: `${header}.${payload}.${mac}` };
    },
    // Keys announced by the token itself: must never be used to verify it.
    () => {
      const embedded = rng.pick<Record<string, unknown>>([
        { jwk: keys.attacker.publicJwk },
        { jku: "http://127.0.0.1:9/jwks.json" },
        { x5u: "http://127.0.0.1:9/cert.pem" },
        { x5c: [Buffer.from(rng.text(64)).toString("base64")] },
        { jwk: keys.attacker.publicJwk, jku: "https://attacker.invalid/jwks.json" },
      ]);
      const kid = rng.pick<string | undefined>([keys.serviceKid, keys.trusted.kid, undefined, "attacker"]);
      const iss = rng.pick([keys.serviceIss, keys.trusted.iss]);
      const header = { alg: "RS256", typ: "JWT", ...(kid && { kid }), ...embedded };
      const payload = { iss, sub: keys.applicationId, iat: now(), nbf: now() };
      return {
        kind: "embedded-key",
        verifies: false,
        jwt: signed(json(header), json(payload), keys.attacker.privateKey),
      };
    },
    // Critical extensions nobody understands.
    () => {
      const crit = rng.pick<Record<string, unknown>>([
        { crit: ["x-fuzz"], "x-fuzz": true },
        { crit: ["b64"], b64: false },
        { crit: ["exp"] },
        { crit: [] },
        { crit: "x-fuzz" },
        { crit: ["x-fuzz", "x-fuzz"], "x-fuzz": 1 },
      ]);
      return byTrusted("crit", trustedHeader(crit), claims(), false);
    },
    // Huge claims: under, at and over the 16 KiB bound.
    () => {
      const size = rng.pick([1_000, 11_000, 12_500, 20_000, 45_000]);
      return byTrusted("huge-claims", trustedHeader(), claims({ blob: "x".repeat(size) }), size < 12_000);
    },
    // Deeply nested claims, written as text (JSON.stringify itself would overflow the stack).
    () => {
      const depth = rng.pick([64, 1_000, 5_000]);
      return byTrusted(
        "deep-nesting",
        trustedHeader(),
        json(claims()).replace(/}$/, `,"deep":${"[".repeat(depth)}${"]".repeat(depth)}}`),
        true,
      );
    },
    // Invalid UTF-8 in the signed header or claims.
    () => {
      const inHeader = rng.chance(0.5);
      const broken = (text: string) => {
        const at = text.indexOf('":"') + 3;
        return Buffer.concat([Buffer.from(text.slice(0, at)), invalidUtf8(rng), Buffer.from(text.slice(at))]);
      };
      const header = json(trustedHeader());
      const payload = json(claims({ client_name: "name" }));
      return byTrusted(
        "invalid-utf8",
        inHeader ? broken(header) : header,
        inHeader ? payload : broken(payload),
        true,
      );
    },
    // Duplicate keys: which one wins must not matter.
    () => {
      const header = rng.chance(0.5)
        ? `{"alg":"none","alg":"RS256","typ":"JWT","kid":${json(keys.trusted.kid)}}`
        : json(trustedHeader());
      const payload = `{"iss":"https://attacker.invalid","iss":${json(keys.trusted.iss)},"sub":${json(keys.applicationId)},"sub":"other","iat":${now()}}`;
      return byTrusted("duplicate-keys", header, payload, true);
    },
    // Claims of the wrong type.
    () => {
      const claim = rng.pick(["iss", "sub", "exp", "nbf", "iat", "software_id", "jti"]);
      return byTrusted("claim-types", trustedHeader(), claims({ [claim]: hostileValue(rng) }), true);
    },
    // Expired, or not yet valid.
    () =>
      byTrusted(
        "time",
        trustedHeader(),
        claims(rng.chance(0.5) ? { exp: now() - 3_600 } : { nbf: now() + 3_600 }),
        false,
      ),
    // Truncated or extra segments.
    () => {
      const parts = keys.stored.split(".");
      const jwt = rng.pick([
        parts.slice(0, 2).join("."),
        parts.slice(0, 1).join("."),
        `${keys.stored}.`,
        `${keys.stored}.${storedSignature}`,
        `${storedHeader}.${b64u("{}")}.${b64u("iv")}.${b64u("ct")}.${b64u("tag")}`,
        `..`,
        `${storedHeader}..${storedSignature}`,
        keys.stored.slice(0, rng.int(keys.stored.length)),
      ]);
      return { kind: "segments", verifies: false, jwt };
    },
    // Not base64url: padding, the standard alphabet, whitespace, non-ASCII, NUL.
    () => {
      // Never at either end: a statement with whitespace around it is the same statement.
      const at = rng.between(1, keys.stored.length - 1);
      const bad = rng.pick(["+", "/", "=", "==", "%", " x", "\n", "é", "\u0000", "\uD800"]);
      return {
        kind: "bad-base64url",
        verifies: false,
        jwt: keys.stored.slice(0, at) + bad + keys.stored.slice(at),
      };
    },
    // One character changed anywhere in the stored statement.
    () => {
      const at = rng.int(keys.stored.length);
      const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      const replacement = alphabet.replace(keys.stored[at]!, "")[rng.int(63)]!;
      const jwt =
        keys.stored.slice(0, at) + (keys.stored[at] === "." ? "" : replacement) + keys.stored.slice(at + 1);
      return { kind: "bit-flip", verifies: false, jwt };
    },
    () => ({ kind: "not-a-jwt", verifies: false, jwt: hostileString(rng) || "x" }),
  ])();
}
