import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { bitFlipped, malleated } from "@/test/harness/jws-variants";
import { orgPost } from "@/test/harness/org-api";

/**
 * A statement is what its issuer signed (lib/statements/identity.ts), not the text it came in (issue 27, item 3),
 * and its date claims are dates (item 4). Over real HTTP, on both databases: acme and globex trust the same
 * ES256 issuer; globex tries byte-different copies of a statement acme holds, acme tries one of a statement it
 * revoked, and statements with dates no database holds are refused at upload, registration and Find.
 */
const baseUrl = inject("baseUrl");
type Json = Record<string, unknown> & { error?: { code: string; message: string } };

const ISSUER = `https://identity-issuer-${randomUUID()}.example.test`;
let key: CryptoKey;
let acme: HttpSession, globex: HttpSession;
const apps = { acme: "", globex: "" };

const statement = (claims: Record<string, unknown> = {}) =>
  new SignJWT({ iss: ISSUER, sub: `tv-${randomUUID()}`, iat: Math.floor(Date.now() / 1000), ...claims })
    .setProtectedHeader({ alg: "ES256", kid: "es-1", typ: "JWT" })
    .sign(key);

const upload = (org: keyof typeof apps, jwt: string) =>
  orgPost<Json>(
    org === "acme" ? acme : globex,
    "/statements",
    { software_statement: jwt, applicationId: apps[org] },
    org,
  );

let ip = 0;
async function register(jwt: string) {
  const res = await fetch(`${baseUrl}/o/client/register`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": `198.18.27.${1 + (ip++ % 250)}` },
    body: JSON.stringify({ software_statement: jwt }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** Which of the two organizations a registered client belongs to. */
async function holderOf(clientId: string) {
  const [inAcme, inGlobex] = await Promise.all([
    acme.fetch(`/api/admin/v1/orgs/acme/registrations/${clientId}`),
    globex.fetch(`/api/admin/v1/orgs/globex/registrations/${clientId}`),
  ]);
  return inAcme.status === 200
    ? inGlobex.status === 404
      ? "acme"
      : "both"
    : inGlobex.status === 200
      ? "globex"
      : "none";
}

/** `copy` is acme's statement: globex cannot upload it, and a client registering with it is acme's. */
async function expectAcmes(copy: string) {
  const refused = await upload("globex", copy);
  expect(refused.status).toBe(409);
  expect(refused.body.error?.code).toBe("statement_held_elsewhere");
  const registered = await register(copy);
  expect(registered.status).toBe(201);
  expect(await holderOf(registered.body.client_id!)).toBe("acme");
}

beforeAll(async () => {
  [acme, globex] = await Promise.all([
    HttpSession.signedIn("admin@acme.test"),
    HttpSession.signedIn("admin@globex.test"),
  ]);
  const pair = await generateKeyPair("ES256", { extractable: true });
  key = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: "es-1", alg: "ES256", use: "sig" };
  for (const org of ["acme", "globex"] as const) {
    const who = org === "acme" ? acme : globex;
    expect((await orgPost(who, "/issuers", { iss: ISSUER, jwks: { keys: [jwk] } }, org)).status).toBe(201);
    const app = await orgPost<{ id: string }>(
      who,
      "/applications",
      { name: `Identity ${org}`, platforms: ["Roku"], domains: [`${org}.example.test`] },
      org,
    );
    expect(app.status).toBe(201);
    apps[org] = app.body.id;
  }
});

describe("a copy of a statement another organization holds", () => {
  it("with the other ECDSA signature (s → n − s) is held elsewhere, and registers acme's client", async () => {
    const jwt = await statement();
    const held = await upload("acme", jwt);
    expect(held.status).toBe(201);
    const copy = malleated(jwt);
    expect(copy).not.toBe(jwt);

    await expectAcmes(copy);
  });

  it("with unused base64url bits set is refused as not canonical, at upload and at registration", async () => {
    const jwt = await statement();
    expect((await upload("acme", jwt)).status).toBe(201);
    // The genuine text registers first, so its verification is remembered: the copy must not ride on it.
    expect((await register(jwt)).status).toBe(201);
    const copy = bitFlipped(jwt);

    const refused = await upload("globex", copy);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: "non_canonical" });
    expect(refused.body.error?.message).toMatch(/signature is not canonical base64url/);

    const registered = await register(copy);
    expect(registered.status).toBe(400);
    expect(registered.body).toMatchObject({ error: "invalid_software_statement" });
    expect(registered.body.error_description).toMatch(/not canonical base64url/);
  });

  it("signed again by its issuer with the same jti is the same statement", async () => {
    const jti = randomUUID();
    expect((await upload("acme", await statement({ jti, software_version: "1" }))).status).toBe(201);
    await expectAcmes(await statement({ jti, software_version: "2" }));
  });

  it("is found by Find as the statement it copies", async () => {
    const jwt = await statement();
    const held = await upload("acme", jwt);
    const found = await acme.postJson<{ matches: { kind: string; id: string }[] }>("/api/admin/v1/find", {
      q: malleated(jwt),
    });
    expect(found.body.matches).toEqual([expect.objectContaining({ kind: "statement", id: held.body.id })]);
  });
});

describe("a statement the organization revoked", () => {
  it("cannot come back as itself, another signature of it, or another payload with its jti", async () => {
    const jti = randomUUID();
    const jwt = await statement({ jti });
    const held = await upload("acme", jwt);
    expect(held.status).toBe(201);
    const revoked = await orgPost(acme, `/statements/${held.body.id}/revoke`, { reason: "Leaked" });
    expect(revoked.status).toBe(200);

    for (const variant of [jwt, malleated(jwt), await statement({ jti, software_version: "2" })]) {
      const again = await upload("acme", variant);
      expect(again.status).toBe(409);
      expect(again.body.error?.code).toBe("statement_revoked");
      const registered = await register(variant);
      expect(registered.status).toBe(400);
      expect(registered.body).toMatchObject({ error: "unapproved_software_statement" });
    }
  });
});

describe("a date claim outside 1970..9999", () => {
  const cases = [
    ["exp", 1e13],
    ["exp", 1e20],
    ["exp", 8.64e12 + 1],
    ["iat", 1e13],
    ["nbf", -1e13],
  ] as const;

  it.each(cases)("%s %d is a 400 with its reason at upload, registration and Find", async (name, value) => {
    const jwt = await statement({ [name]: value });
    const uploaded = await upload("acme", jwt);
    expect(uploaded.status).toBe(400);
    expect(uploaded.body.error).toMatchObject({ code: "invalid_date" });
    expect(uploaded.body.error?.message).toMatch(
      new RegExp(`${name} claim .*not a date between 1970 and 9999`),
    );

    const registered = await register(jwt);
    expect(registered.status).toBe(400);
    expect(registered.body).toMatchObject({ error: "invalid_software_statement" });
    expect(registered.body.error_description).toMatch(new RegExp(`${name} claim`));

    const found = await acme.postJson<{ jwt: { verifies: boolean; problem: string } | null }>(
      "/api/admin/v1/find",
      { q: jwt },
    );
    expect(found.status).toBe(200);
    expect(found.body.jwt).toMatchObject({ verifies: false, problem: expect.stringMatching(/not a date/) });
  });
});
