import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";
import { insertUser } from "@/test/harness/users";

/**
 * The sign-in limits (5 failures per account, 30 per address, per 15 minutes) under bursts sent at once, over
 * HTTP. An attempt is "evaluated" when its password was checked: the audit trail then holds its
 * `auth.sign_in_failed` or `auth.sign_in`; a turned-away attempt leaves `auth.sign_in_throttled` instead.
 */
const password = inject("seedPassword");
const sql = await openServerSql();
afterAll(() => sql.close());

const newUser = async () => (await insertUser(sql, { password })).email;

type Outcome = { status: number; signedIn: boolean };

/** `n` sign-ins prepared first, then sent all at once. */
async function burst(n: number, attempt: (i: number) => [email: string, pw: string, ip: string]) {
  const sends = await Promise.all(Array.from({ length: n }, (_, i) => prepared(...attempt(i))));
  return Promise.all(sends.map((send) => send()));
}

/** A sign-in with its CSRF token already fetched, sent from `ip` when called: bursts go out together. */
async function prepared(email: string, pw: string, ip: string): Promise<() => Promise<Outcome>> {
  const http = new HttpSession();
  const csrfToken = await http.csrfToken();
  return async () => {
    const res = await http.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": ip },
      body: new URLSearchParams({ email, password: pw, csrfToken }),
    });
    await res.arrayBuffer();
    return { status: res.status, signedIn: http.hasCookie("authjs.session-token") };
  };
}

async function countEvents(column: "actorEmail" | "ip", value: string) {
  const rows = await sql.all<{ action: string; n: number }>(
    `SELECT "action", COUNT(*) AS n FROM "AuditEvent" WHERE "${column}" = ? GROUP BY "action"`,
    value,
  );
  const n = (action: string) => Number(rows.find((r) => r.action === action)?.n ?? 0);
  const failed = n("auth.sign_in_failed");
  const succeeded = n("auth.sign_in");
  return { failed, succeeded, evaluated: failed + succeeded, throttled: n("auth.sign_in_throttled") };
}

describe("sign-in limits under concurrent attempts", () => {
  it("24 wrong passwords and the right one at once from 25 addresses: at most 5 are evaluated", async () => {
    const email = await newUser();
    const RIGHT = 12;
    const results = await burst(25, (i) => [
      email,
      i === RIGHT ? password : `wrong-${i}`,
      `198.51.100.${i + 1}`,
    ]);
    const events = await countEvents("actorEmail", email);

    expect(events.evaluated).toBeLessThanOrEqual(5);
    expect(events.throttled).toBe(25 - events.evaluated);
    expect(results.filter((r) => r.status === 429)).toHaveLength(events.throttled);
    // The right password got in only if it was one of the attempts the limit let through.
    expect(results[RIGHT]!.signedIn).toBe(events.succeeded === 1);
    expect(results.filter((r) => r.signedIn)).toHaveLength(events.succeeded);
    // The limit is spent: the right password, alone and from yet another address, is turned away.
    const after = await (await prepared(email, password, "198.51.100.200"))();
    expect(after).toEqual({ status: 429, signedIn: false });
  });

  it.each([
    ["one account", 5, "198.51.100.201"],
    ["60 accounts", 30, "198.51.100.202"],
  ] as const)(
    "60 attempts at once from one address on %s: at most %i are evaluated",
    async (on, limit, ip) => {
      const email = on === "one account" ? await newUser() : null;
      const results = await burst(60, (i) => [
        email ?? `nobody-${i}-${randomUUID()}@acme.test`,
        `wrong-${i}`,
        ip,
      ]);
      const events = email ? await countEvents("actorEmail", email) : await countEvents("ip", ip);
      expect(events.evaluated).toBeLessThanOrEqual(limit);
      expect(events.evaluated + events.throttled).toBe(60);
      expect(results.filter((r) => r.status === 429)).toHaveLength(events.throttled);
    },
  );

  it("the right password sent while wrong ones are still being checked does not get in once they spent the limit", async () => {
    const email = await newUser();
    const wrong = await Promise.all(
      Array.from({ length: 10 }, (_, i) => prepared(email, `wrong-${i}`, `198.51.100.${100 + i}`)),
    );
    const right = await prepared(email, password, "198.51.100.120");
    const inFlight = wrong.map((send) => send());
    // Sent once the wrong ones hold the account's 5 attempts (answered or not): it must find none left.
    await waitFor(async () => (await accountPoints(email)) >= 5);
    const outcome = await right();
    await Promise.all(inFlight);
    expect(outcome).toEqual({ status: 429, signedIn: false });
    expect((await countEvents("actorEmail", email)).succeeded).toBe(0);
  });
});

/** The attempts the limiter has counted for an account in its current window. */
async function accountPoints(email: string): Promise<number> {
  const row = await sql.get<{ points: number }>(
    `SELECT "points" FROM "RateLimiterFlexible" WHERE "key" = ?`,
    `signin:account:${email}`,
  );
  return Number(row?.points ?? 0);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
