import { createHmac, hkdfSync } from "node:crypto";
import { env } from "@/lib/env";
import type { NewRegistration } from "./store";

let salt: Buffer | undefined;

/**
 * Which device a registration came from, as the re-registration figures count devices: the device facts it
 * sent (X-Device-Info, or what its User-Agent told), its address and its user agent, hashed with a key derived
 * from AUTH_SECRET, so the rollups and DeviceSighting never hold the address, and a copied database cannot
 * test guesses of it. Computed from the registration's own stored columns: a recount from the raw rows gets
 * the same hash.
 */
export function deviceHash(registration: Pick<NewRegistration, "deviceInfo" | "ip" | "userAgent">): string {
  salt ??= Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "", "statement-console device hash", 32));
  const { deviceInfo, ip, userAgent } = registration;
  return createHmac("sha256", salt)
    .update(JSON.stringify([deviceInfo, ip, userAgent]))
    .digest("base64url");
}
