import { expect, inject, it } from "vitest";
import { AdminSession } from "@/test/harness/admin-session";
import { runRevocationLoad } from "@/test/system/revocation-load";

/**
 * The reduced, CI form of `npm run test:load` (test/system/revocation-load.ts) against the suite's server: a
 * statement of its own, a few hundred concurrent token requests and API calls around its revocation, and not
 * one grant to a request sent after the revocation's response. The throttle is on here, so every request
 * comes from an address of its own (RFC 6598 shared space, used by no other test file).
 */
let addresses = 0;
const freshIp = () => {
  const n = addresses++;
  return `100.64.${Math.floor(n / 250)}.${(n % 250) + 1}`;
};

it("refuses every token request and API call sent after the revocation committed, under concurrent load", async () => {
  const baseUrl = inject("baseUrl");
  const admin = await AdminSession.signIn(baseUrl, "admin@acme.test", inject("seedPassword"));
  const report = await runRevocationLoad({
    baseUrl,
    admin,
    org: "acme",
    clients: 20,
    workers: 12,
    beforeMs: 0,
    beforeRequests: 120,
    afterMs: 0,
    afterRequests: 150,
    capMs: 25_000,
    forwardedFor: freshIp,
  });
  const summary = Object.fromEntries(report.figures);
  expect(report.revokeStatus, JSON.stringify(summary)).toBe(200);
  expect(report.violations, JSON.stringify(summary)).toEqual([]);
  expect(report.unexpected, JSON.stringify(summary)).toEqual([]);
  // Meaningful only if the load really straddled the revocation: grants before it, refusals after it.
  expect(report.grantedBefore).toBeGreaterThanOrEqual(100);
  expect(report.sentAfter).toBeGreaterThanOrEqual(150);
  expect(report.refusedAfter).toBe(report.sentAfter);
}, 60_000);
