import { afterAll, describe, expect, inject, it } from "vitest";
import { callAction } from "@/test/harness/actions";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";
import { insertUser } from "@/test/harness/users";

/**
 * The change-password form checks the current password, so a stolen session could guess it there: it takes
 * its point from the sign-in limiter (per account and per address, before the check, given back on success)
 * and, once the limit is reached, refuses even the right password, as sign-in does.
 */
const password = inject("seedPassword");
const NEW = "a-brand-new-password-7";
const sql = await openServerSql();
let addresses = 0;

afterAll(() => sql.close());

/** A user of this file's own, signed in from an address of its own (other files' failures do not count). */
async function signedInUser() {
  const { id, email } = await insertUser(sql, { password, member: { slug: "acme", role: "VIEWER" } });
  const http = new HttpSession();
  expect((await http.signIn(email, password)).status).toBe(302);
  return { id, email, http, ip: `192.0.2.${100 + addresses++}` };
}

function changePassword(user: { http: HttpSession; ip: string }, current: string) {
  const form = new FormData();
  form.set("current", current);
  form.set("next", NEW);
  form.set("confirm", NEW);
  return callAction(user.http, "/account", "changePasswordAction", [{}, form], {
    "x-forwarded-for": user.ip,
  });
}

const points = async (key: string) =>
  (await sql.get<{ points: number }>(`SELECT "points" FROM "RateLimiterFlexible" WHERE "key" = ?`, key))
    ?.points ?? 0;
const passwordHash = async (id: string) =>
  (await sql.get<{ passwordHash: string }>(`SELECT "passwordHash" FROM "User" WHERE "id" = ?`, id))!
    .passwordHash;

const LIMITED = /Too many failed attempts\. Try again in \d+ (minutes?|seconds?)\./;

describe("the current password on the change-password form", () => {
  it("is refused past the sign-in limit, the right one too, and the password does not change", async () => {
    const user = await signedInUser();
    const before = await passwordHash(user.id);
    for (let i = 0; i < 5; i++) {
      const wrong = await changePassword(user, `not-my-password-${i}`);
      expect(wrong.text).toContain("That is not your current password.");
    }
    for (const current of ["not-my-password-6", password]) {
      const refused = await changePassword(user, current);
      expect(refused.status).toBe(200);
      expect(refused.text).toMatch(LIMITED);
      expect(refused.text).not.toContain("That is not your current password.");
    }
    expect(await passwordHash(user.id)).toBe(before);
    // The sign-in limiter's own rows: five failures for the account and for the address.
    expect(await points(`signin:account:${user.email}`)).toBeGreaterThanOrEqual(5);
    expect(await points(`signin:ip:${user.ip}`)).toBe(5);
    // One limit: sign-in is refused too, and the session still works (nothing was changed).
    expect((await new HttpSession().signIn(user.email, password)).status).toBe(429);
    expect((await user.http.fetch("/account")).status).toBe(200);
  });

  it("gives the point back when the current password is right", async () => {
    const user = await signedInUser();
    for (let i = 0; i < 4; i++) await changePassword(user, `not-my-password-${i}`);
    expect(await points(`signin:account:${user.email}`)).toBe(4);
    const changed = await changePassword(user, password);
    expect(changed.headers.get("x-action-redirect")).toContain("/login?reason=password-changed");
    expect(await points(`signin:account:${user.email}`)).toBe(4);
    expect(await points(`signin:ip:${user.ip}`)).toBe(4);
    expect((await new HttpSession().signIn(user.email, NEW)).status).toBe(302);
  });
});
