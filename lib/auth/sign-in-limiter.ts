import "server-only";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "@/lib/db";

/**
 * Failed sign-ins are counted per account and per client IP, in the database so that every app instance
 * shares the count. Only failures count: a user who types their password right is never slowed down.
 */
export const ACCOUNT_MAX_FAILURES = 5;
export const IP_MAX_FAILURES = 30;
const WINDOW_SECONDS = 15 * 60;

const perAccount = new RateLimiterPrisma({
  storeClient: db,
  keyPrefix: "signin:account",
  points: ACCOUNT_MAX_FAILURES,
  duration: WINDOW_SECONDS,
});
const perIp = new RateLimiterPrisma({
  storeClient: db,
  keyPrefix: "signin:ip",
  points: IP_MAX_FAILURES,
  duration: WINDOW_SECONDS,
});

const accountKey = (email: string) => email.trim().toLowerCase();

/** Seconds until another attempt is allowed, or 0 when one is allowed now. */
export async function signInRetryAfter(email: string, ip: string | null): Promise<number> {
  const [account, address] = await Promise.all([
    perAccount.get(accountKey(email)),
    ip ? perIp.get(ip) : null,
  ]);
  return Math.max(waitFor(account, ACCOUNT_MAX_FAILURES), waitFor(address, IP_MAX_FAILURES));
}

export async function recordSignInFailure(email: string, ip: string | null): Promise<void> {
  await Promise.all([perAccount.penalty(accountKey(email), 1), ip ? perIp.penalty(ip, 1) : null]);
}

function waitFor(res: RateLimiterRes | null, max: number): number {
  if (!res || res.consumedPoints < max) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** A successful sign-in forgets the account's earlier failures (the IP's count stands). */
export async function clearSignInFailures(email: string): Promise<void> {
  await perAccount.delete(accountKey(email));
}
