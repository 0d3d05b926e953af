import { env } from "@/lib/env";

/**
 * Per-client-IP token buckets (DCR-API.md §4): `rate` requests per second with a one-time burst. Kept in
 * this process's memory.
 */
type Bucket = { tokens: number; updated: number };

const buckets = new Map<string, Bucket>();
const MAX_TRACKED = 100_000;

/** Seconds to wait before retrying, or 0 when the request may go ahead (and is counted). */
export function throttle(ip: string | null, now = Date.now()): number {
  if (env.DCR_THROTTLE === "off") return 0;
  const rate = env.DCR_THROTTLE_RATE;
  const burst = env.DCR_THROTTLE_BURST;
  const key = ip ?? "unknown";
  const bucket = buckets.get(key) ?? { tokens: burst, updated: now };
  bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.updated) / 1000) * rate);
  bucket.updated = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    remember(key, bucket);
    return 0;
  }
  remember(key, bucket);
  return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
}

function remember(key: string, bucket: Bucket) {
  buckets.delete(key);
  buckets.set(key, bucket);
  // A flood of distinct addresses must not grow memory without bound: forget the least recently seen.
  if (buckets.size > MAX_TRACKED) buckets.delete(buckets.keys().next().value!);
}
