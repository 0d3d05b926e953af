import "server-only";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "@/lib/db";

/**
 * Password checks (sign-in, and the current password on the change-password form, where a stolen session could
 * otherwise guess it) are limited per account and per client IP, in the database so that every app instance
 * shares the count. An attempt takes its point *before* the password is checked: the store's consume is one
 * `INSERT … ON CONFLICT DO UPDATE SET points = points + 1 RETURNING` (atomic on SQLite and PostgreSQL), so
 * however many attempts arrive at once, at most the limit of them is ever checked. A successful attempt
 * gives its point back: only failures count, and a user who types their password right is never slowed down.
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

/**
 * Takes one attempt for this account and address. Returns 0 when the password may be checked, or the seconds
 * until another attempt is allowed. The address goes first, and gives its point back when the account turns
 * the attempt away, so an address is charged only for attempts that were checked.
 */
export async function takeSignInAttempt(email: string, ip: string | null): Promise<number> {
  if (ip) {
    const address = await consume(perIp, ip);
    if (address > 0) return address;
  }
  const account = await consume(perAccount, accountKey(email));
  if (account > 0 && ip) await giveBack(perIp, ip);
  return account;
}

/** A successful attempt (the password was right) is given back to both counts. */
export async function refundSignInAttempt(email: string, ip: string | null): Promise<void> {
  await Promise.all([giveBack(perAccount, accountKey(email)), ip ? giveBack(perIp, ip) : null]);
}

/** What a turned-away attempt is told, on a form and in a 429 alike. */
export function tooManyAttempts(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const wait =
    retryAfterSeconds < 60
      ? `${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}`
      : `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `Too many failed attempts. Try again in ${wait}.`;
}

/** Seconds until another attempt is allowed, or 0 when one may be made now (for telling, not deciding). */
export async function signInRetryAfter(email: string, ip: string | null): Promise<number> {
  const [account, address] = await Promise.all([
    perAccount.get(accountKey(email)),
    ip ? perIp.get(ip) : null,
  ]);
  return Math.max(waitFor(account, ACCOUNT_MAX_FAILURES), waitFor(address, IP_MAX_FAILURES));
}

async function consume(limiter: RateLimiterPrisma, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}

/**
 * One point back, only within the window that took it: the store's own `reward` would start a new window at
 * -1 if this one just ended, which would allow an extra attempt in the next.
 */
async function giveBack(limiter: RateLimiterPrisma, key: string): Promise<void> {
  await db.rateLimiterFlexible.updateMany({
    where: { key: limiter.getKey(key), expire: { gt: new Date() }, points: { gt: 0 } },
    data: { points: { decrement: 1 } },
  });
}

function waitFor(res: RateLimiterRes | null, max: number): number {
  if (!res || res.consumedPoints < max) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}
