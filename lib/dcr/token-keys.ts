import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { publishedJwks } from "@/lib/keys/service";

/**
 * The public keys access tokens are verified with, cached in memory: the key set changes only on rotation,
 * and an unknown `kid` (a rotation on another instance) reloads it at most once a second.
 */
let cached: { getKey: JWTVerifyGetKey; loaded: number } | undefined;
const TTL_MS = 5 * 60_000;
const MIN_RELOAD_MS = 1000;

export async function accessTokenKeys(forceReload = false): Promise<JWTVerifyGetKey> {
  const now = Date.now();
  const stale =
    !cached || now - cached.loaded > TTL_MS || (forceReload && now - cached.loaded > MIN_RELOAD_MS);
  if (stale) cached = { getKey: createLocalJWKSet((await publishedJwks()) as JSONWebKeySet), loaded: now };
  return cached!.getKey;
}
