import "server-only";
import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { exportJWK, type JWK } from "jose";
import { withAudit, type AuditContext } from "@/lib/audit";
import { db } from "@/lib/db";
import { decryptSecret, encryptSecret } from "./encryption";

/** This service's signing algorithm for statements and access tokens. */
export const SIGNING_ALG = "RS256";

export type ActiveKey = { kid: string; privateKey: KeyObject };

const SYSTEM: AuditContext = {
  actor: { userId: null, email: null, role: "SYSTEM", actingFor: false },
  request: { requestId: null, ip: null, userAgent: null },
};

// Another instance may rotate: re-read the active key at most this often (its old key stays published).
const CACHE_MS = 60_000;
let cached: { key: ActiveKey; at: number } | undefined;

/** The key to sign with now, created (and audited) on first use. */
export async function activeSigningKey(): Promise<ActiveKey> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.key;
  const row =
    (await db.signingKey.findFirst({ where: { status: "ACTIVE" }, orderBy: { createdAt: "desc" } })) ??
    (await createSigningKey(SYSTEM, "signing_key.created"));
  const key = { kid: row.kid, privateKey: createPrivateKey(decryptSecret(row.privateKeyEnc)) };
  cached = { key, at: Date.now() };
  return key;
}

/** Adds a new active key and retires the others; retired keys stay in the JWKS so what they signed verifies. */
export async function rotateSigningKey(ctx: AuditContext): Promise<{ kid: string }> {
  const row = await createSigningKey(ctx, "signing_key.rotated");
  cached = undefined;
  return { kid: row.kid };
}

async function createSigningKey(ctx: AuditContext, action: string) {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: SIGNING_ALG, use: "sig" };
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return withAudit(ctx, async (tx, audit) => {
    const retired = await tx.signingKey.updateMany({
      where: { status: "ACTIVE" },
      data: { status: "RETIRED", retiredAt: new Date() },
    });
    const created = await tx.signingKey.create({
      data: {
        kid,
        algorithm: SIGNING_ALG,
        publicJwk: JSON.stringify(publicJwk),
        privateKeyEnc: encryptSecret(privatePem),
      },
    });
    await audit({
      action,
      organizationId: null,
      targetType: "signing_key",
      targetId: kid,
      after: { kid, algorithm: SIGNING_ALG, retiredKeys: retired.count },
    });
    return created;
  });
}

/** Every public key this service has signed with, newest first: the body of /.well-known/jwks.json. */
export async function publishedJwks(): Promise<{ keys: JWK[] }> {
  const rows = await db.signingKey.findMany({ orderBy: { createdAt: "desc" }, select: { publicJwk: true } });
  return { keys: rows.map((r) => JSON.parse(r.publicJwk) as JWK) };
}
