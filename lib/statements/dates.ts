/**
 * The dates a statement's `exp`, `iat` and `nbf` may name: 1970-01-01 to 9999-12-31 UTC. Every database column
 * and JavaScript Date here holds them (a Date ends at 8.64e12 seconds, and `exp: 1e13` once answered 500), and
 * a real statement's `exp` may well be decades away, so the bound is the last four-digit year rather than
 * lib/validation.ts's 2000..2100 for report ranges.
 */
export const LATEST_CLAIM_SECONDS = 253_402_300_799;

/** A date claim's moment, or null when it is not a number of seconds within those dates. */
export function claimDate(seconds: unknown): Date | null {
  return typeof seconds === "number" && seconds >= 0 && seconds <= LATEST_CLAIM_SECONDS
    ? new Date(seconds * 1000)
    : null;
}
