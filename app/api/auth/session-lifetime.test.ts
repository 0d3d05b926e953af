import { readFileSync } from "node:fs";
import path from "node:path";
import { decode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { callAction } from "@/test/harness/actions";
import { EXPIRED_COOKIE, HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";
import { insertUser } from "@/test/harness/users";

/**
 * A session is a row on the server, not only a signed cookie: sign-out and "End" end it for every copy of the
 * cookie, and it lasts a fixed 12 hours from sign-in that reading it never extends.
 */
const password = inject("seedPassword");
const sql = await openServerSql();
let email: string;
afterAll(() => sql.close());

beforeAll(async () => {
  // An acme admin of this file's own, so that ending sessions here touches no other test's.
  ({ email } = await insertUser(sql, { password, member: { slug: "acme", role: "ADMIN" } }));
});

async function signedIn(userAgent = "session-test"): Promise<HttpSession> {
  const http = new HttpSession();
  const csrfToken = await http.csrfToken();
  const res = await http.fetch("/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": userAgent },
    body: new URLSearchParams({ email, password, csrfToken }),
  });
  expect(res.headers.get("location")).not.toContain("error");
  return http;
}

/** Whether the session opens a page and the admin API (both must agree). */
async function works(http: HttpSession): Promise<boolean> {
  const page = await http.fetch("/");
  const api = await http.fetch("/api/admin/v1/orgs/acme/applications");
  expect(page.status === 200).toBe(api.status === 200);
  if (page.status !== 200) {
    expect(page.headers.get("location")).toContain("/login");
    expect(api.status).toBe(401);
  }
  return page.status === 200;
}

const sessionCookies = (res: Response) =>
  res.headers.getSetCookie().filter((c) => /authjs\.session-token/.test(c));

async function signOut(http: HttpSession) {
  const res = await http.fetch("/api/auth/signout", {
    method: "POST",
    body: new URLSearchParams({ csrfToken: await http.csrfToken() }),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(res.status).toBe(302);
}

const auditCount = async (action: string) =>
  Number(
    (await sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM "AuditEvent" WHERE "action" = ? AND "actorEmail" = ?`,
      action,
      email,
    ))!.n,
  );

describe("sign-out ends the session on the server", () => {
  it("a cookie copied before sign-out no longer opens pages or the admin API", async () => {
    const http = await signedIn();
    const copy = http.clone();
    expect(await works(copy)).toBe(true);
    await signOut(http);
    expect(await works(copy)).toBe(false);
  });

  it("signing out one session leaves the others", async () => {
    const [a, b] = [await signedIn(), await signedIn()];
    await signOut(a);
    expect(await works(b)).toBe(true);
  });
});

describe("a fixed lifetime", () => {
  it("reading the session does not re-issue the cookie or move its expiry", async () => {
    const http = await signedIn();
    const first = (await (await http.fetch("/api/auth/session")).json()) as { expires: string };
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const res = await http.fetch("/api/auth/session");
    expect(sessionCookies(res)).toEqual([]);
    const second = (await res.json()) as { expires: string; user: { email: string } };
    expect(second.user.email).toBe(email);
    expect(second.expires).toBe(first.expires);
    // 12 hours from sign-in.
    expect(Math.abs(Date.parse(second.expires) - Date.now() - 12 * 3600_000)).toBeLessThan(60_000);
  });

  it("the token's own expiry stays the sign-in's, even when Auth.js signs it again (a session update)", async () => {
    const secret = readFileSync(path.join(inject("serverDataDir"), "auth-secret"), "utf8").trim();
    const expiryIn = async (res: Response) => {
      const [name, value] = sessionCookies(res)[0]!.split(";")[0]!.split(/=(.*)/s);
      return (await decode({ token: value!, secret, salt: name! }))?.exp;
    };
    const http = new HttpSession();
    const signedInAt = await expiryIn(await http.signIn(email, password));
    expect(signedInAt).toEqual(expect.any(Number));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const update = await http.fetch("/api/auth/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ csrfToken: await http.csrfToken(), data: {} }),
    });
    expect(update.status).toBe(200);
    expect(await expiryIn(update)).toBe(signedInAt);
  });

  it("ends when the server's expiry passes, although the cookie is still one Auth.js accepts", async () => {
    const http = await signedIn("expiring-browser");
    expect(await works(http)).toBe(true);
    const changed = await sql.run(
      `UPDATE "UserSession" SET "expiresAt" = ? WHERE "userAgent" = 'expiring-browser'`,
      new Date(Date.now() - 1000),
    );
    expect(changed).toBe(1);
    expect(await works(http)).toBe(false);
  });
});

/** Calls a server action of the Account page as React does. */
const accountAction = (http: HttpSession, name: string, args: unknown[]) =>
  callAction(http, "/account", name, args);

const sessionIds = async (userAgent: string) =>
  (
    await sql.all<{ id: string }>(
      `SELECT "id" FROM "UserSession" WHERE "userAgent" = ? AND "revokedAt" IS NULL`,
      userAgent,
    )
  ).map((r) => r.id);

describe("Account → Sessions", () => {
  it("lists the active sessions, this one marked, and ends another one, audited", async () => {
    const laptop = await signedIn("laptop-browser");
    const phone = await signedIn("phone-browser");
    const page = await (await laptop.fetch("/account")).text();
    expect(page).toContain("Sessions");
    expect(page).toContain("laptop-browser");
    expect(page).toContain("phone-browser");
    expect(page).toMatch(/This session/);

    const [phoneId] = await sessionIds("phone-browser");
    const before = await auditCount("auth.session_ended");
    const ended = await accountAction(laptop, "endSessionAction", [phoneId]);
    expect(ended.status).toBe(200);
    expect(await works(phone)).toBe(false);
    expect(await works(laptop)).toBe(true);
    expect(await auditCount("auth.session_ended")).toBe(before + 1);
  });

  it("ends every other session at once, and none of someone else's", async () => {
    const here = await signedIn("here-browser");
    const others = [await signedIn("other-browser"), await signedIn("other-browser")];
    const someoneElse = new HttpSession();
    await someoneElse.signIn("admin@acme.test", password);
    const before = await auditCount("auth.session_ended");
    await accountAction(here, "endOtherSessionsAction", []);
    for (const other of others) expect(await works(other)).toBe(false);
    expect(await works(here)).toBe(true);
    expect(await works(someoneElse)).toBe(true);
    expect(await auditCount("auth.session_ended")).toBeGreaterThanOrEqual(before + 2);
  });

  it("cannot end someone else's session", async () => {
    const victim = new HttpSession();
    await victim.signIn("viewer@acme.test", password);
    const [victimSession] = (
      await sql.all<{ id: string }>(
        `SELECT s."id" FROM "UserSession" s JOIN "User" u ON u."id" = s."userId"
         WHERE u."email" = 'viewer@acme.test' AND s."revokedAt" IS NULL ORDER BY s."createdAt" DESC`,
      )
    ).map((r) => r.id);
    const attacker = await signedIn();
    const res = await accountAction(attacker, "endSessionAction", [victimSession]);
    expect(res.text).toContain("not_found");
    expect(await works(victim)).toBe(true);
  });
});

describe("an ended session reads as no session", () => {
  /** What `GET /api/auth/session` answers: all a client can tell sessions apart by. */
  const sessionRead = async (http: HttpSession) => {
    const res = await http.fetch("/api/auth/session");
    return {
      status: res.status,
      contentType: res.headers.get("content-type"),
      cacheControl: res.headers.get("cache-control"),
      body: await res.text(),
      issued: sessionCookies(res).filter((c) => !EXPIRED_COOKIE.test(c)),
    };
  };

  it("with no cookie, Auth.js answers a JSON null", async () => {
    expect(await sessionRead(new HttpSession())).toMatchObject({ status: 200, body: "null", issued: [] });
  });

  it("after sign-out, the old cookie reads exactly as no cookie, and is cleared", async () => {
    const http = await signedIn("signed-out-reader");
    const copy = http.clone();
    expect(JSON.parse((await sessionRead(copy)).body)).toMatchObject({ user: { email } });
    await signOut(http);
    expect(await sessionRead(copy)).toEqual(await sessionRead(new HttpSession()));
    expect(copy.hasCookie("session-token")).toBe(false);
  });

  it("after the session is ended from Account → Sessions, its cookie reads exactly as no cookie", async () => {
    const laptop = await signedIn("ending-laptop");
    const phone = await signedIn("ended-phone");
    const [phoneId] = await sessionIds("ended-phone");
    expect((await accountAction(laptop, "endSessionAction", [phoneId])).status).toBe(200);
    expect(await sessionRead(phone)).toEqual(await sessionRead(new HttpSession()));
    expect(JSON.parse((await sessionRead(laptop)).body)).toMatchObject({ user: { email } });
  });
});
