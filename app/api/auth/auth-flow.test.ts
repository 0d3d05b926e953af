import { randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import { afterAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";

const password = inject("seedPassword");
const serverDb = await openServerSql();
afterAll(() => serverDb.close());

function latestEvent(action: string, email: string) {
  return serverDb.get<Record<string, unknown>>(
    `SELECT * FROM "AuditEvent" WHERE "action" = ? AND "actorEmail" = ? ORDER BY "createdAt" DESC, "seq" DESC LIMIT 1`,
    action,
    email,
  );
}

describe("sign-in over HTTP (the Auth.js credentials flow, as curl drives it)", () => {
  it("gives a demo admin a session cookie that opens the Overview", async () => {
    const http = new HttpSession();
    const res = await http.signIn("admin@acme.test", password);
    expect(res.status).toBe(302);
    expect(new URL(res.headers.get("location")!, http.baseUrl).pathname).toBe("/");
    expect(http.hasCookie("authjs.session-token")).toBe(true);

    const overview = await http.fetch("/");
    expect(overview.status).toBe(200);
    const html = await overview.text();
    expect(html).toContain("Overview");
    expect(html).toContain("Acme Media");
    expect(await latestEvent("auth.sign_in", "admin@acme.test")).toMatchObject({
      chain: "platform",
      ip: expect.stringContaining("127.0.0.1"),
    });
  });

  it("refuses a wrong password without a session, and records the failure", async () => {
    const http = new HttpSession();
    const res = await http.signIn("admin@globex.test", "not-the-password");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("error=CredentialsSignin");
    expect(http.hasCookie("session-token")).toBe(false);
    expect((await http.fetch("/")).status).toBe(307);
    const event = await latestEvent("auth.sign_in_failed", "admin@globex.test");
    expect(event).toMatchObject({ chain: "platform", after: '{"reason":"wrong_password"}' });
    expect(JSON.stringify(event)).not.toContain("not-the-password");
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    const unknown = await new HttpSession().signIn("nobody@acme.test", "whatever");
    const wrong = await new HttpSession().signIn("viewer@acme.test", "whatever");
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.headers.get("location")).toBe(wrong.headers.get("location"));
  });

  it("throttles repeated failures on one account with 429 and Retry-After, even with the right password", async () => {
    const http = new HttpSession();
    const email = "throttled@acme.test";
    for (let i = 0; i < 5; i++) expect((await http.signIn(email, `wrong-${i}`)).status).toBe(302);
    const limited = await http.signIn(email, "wrong-again");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect(await latestEvent("auth.sign_in_throttled", email)).toBeDefined();
  });

  it("sends a signed-out visit to sign-in, remembering where it was going", async () => {
    const res = await new HttpSession().fetch("/settings?tab=general");
    expect(res.status).toBe(307);
    const location = new URL(res.headers.get("location")!, inject("baseUrl"));
    expect(location.pathname).toBe("/login");
    expect(new URL(location.searchParams.get("callbackUrl")!, location).pathname).toBe("/settings");
  });

  it("ends a session on the next request once the user is disabled", async () => {
    // A user of its own, so that other test files signing in as the demo viewer are not affected.
    const email = "soon-disabled@acme.test";
    const userId = randomUUID();
    await serverDb.run(
      `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "updatedAt") VALUES (?, ?, 'Soon Disabled', ?, 'USER', ?)`,
      userId,
      email,
      await hash(password),
      new Date(),
    );
    const acmeId = (await serverDb.get<{ id: string }>(
      `SELECT "id" FROM "Organization" WHERE "slug" = 'acme'`,
    ))!.id;
    await serverDb.run(
      `INSERT INTO "Membership" ("id", "userId", "organizationId", "role") VALUES (?, ?, ?, 'VIEWER')`,
      randomUUID(),
      userId,
      acmeId,
    );

    const http = new HttpSession();
    await http.signIn(email, password);
    expect((await http.fetch("/")).status).toBe(200);
    expect(await serverDb.run(`UPDATE "User" SET "disabled" = ? WHERE "id" = ?`, true, userId)).toBe(1);
    const res = await http.fetch("/");
    expect(res.status).toBe(307);
    expect(res.headers.get("location")).toContain("/login");
    expect((await new HttpSession().signIn(email, password)).headers.get("location")).toContain(
      "error=CredentialsSignin",
    );
  });

  it("signs out, records it, and the old cookie no longer opens the dashboard", async () => {
    const http = new HttpSession();
    await http.signIn("admin@globex.test", password);
    expect((await http.fetch("/")).status).toBe(200);
    const body = new URLSearchParams({ csrfToken: await http.csrfToken() });
    const res = await http.fetch("/api/auth/signout", {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(302);
    expect((await http.fetch("/")).status).toBe(307);
    expect(await latestEvent("auth.sign_out", "admin@globex.test")).toBeDefined();
  });

  it("reports health with the database reachable", async () => {
    const res = await new HttpSession().fetch("/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ok" });
  });
});
