import { env } from "@/lib/env";
import { dcrStore } from "./store";

/**
 * Per-client-IP token buckets (docs/client-api.md §4): `rate` requests per second with a one-time burst. The buckets
 * live in the database, so every app instance draws on the same one.
 */
export async function throttle(ip: string | null, now = Date.now()): Promise<number> {
  if (env.DCR_THROTTLE === "off") return 0;
  return dcrStore().takeThrottle(`ip:${ip ?? "unknown"}`, env.DCR_THROTTLE_RATE, env.DCR_THROTTLE_BURST, now);
}
