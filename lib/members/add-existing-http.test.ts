import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * POST /api/admin/v1/orgs/{org}/members with an email that already has an account, over HTTP on the real app:
 * another organization's admin neither re-enables an account disabled platform-wide nor learns its name or id.
 */
const baseUrl = inject("baseUrl");
const password = inject("seedPassword");
const sql = await openServerSql();
afterAll(() => sql.close());

const signedIn = async (email: string, secret = password) => {
  const session = new HttpSession();
  expect((await session.signIn(email, secret)).status).toBe(302);
  return session;
};
const addMember = (as: HttpSession, org: string, member: Record<string, string>) =>
  as.fetch(`/api/admin/v1/orgs/${org}/members`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify(member),
  });

let acme: HttpSession, globex: HttpSession;
beforeAll(async () => {
  [acme, globex] = [await signedIn("admin@acme.test"), await signedIn("admin@globex.test")];
});

describe("adding an existing account to another organization", () => {
  it("answers only what the adder typed, and leaves a platform-wide disable in place", async () => {
    const created = await addMember(acme, "acme", {
      email: "frank@acme.test",
      name: "Frank Realname",
      role: "VIEWER",
    });
    expect(created.status).toBe(201);
    const frank = (await sql.get<{ id: string }>(
      `SELECT "id" FROM "User" WHERE "email" = ?`,
      "frank@acme.test",
    ))!;
    await sql.run(`UPDATE "User" SET "disabled" = ? WHERE "id" = ?`, true, frank.id);

    const res = await addMember(globex, "globex", {
      email: "FRANK@acme.test",
      name: "Typed Name",
      role: "VIEWER",
    });
    expect(res.status).toBe(201);
    const text = await res.text();
    const membership = (await sql.get<{ id: string }>(
      `SELECT m."id" FROM "Membership" m JOIN "Organization" o ON o."id" = m."organizationId" WHERE m."userId" = ? AND o."slug" = ?`,
      frank.id,
      "globex",
    ))!;
    expect(JSON.parse(text)).toEqual({
      id: membership.id,
      email: "frank@acme.test",
      name: "Typed Name",
      role: "VIEWER",
    });
    expect(text).not.toContain("Realname");
    expect(text).not.toContain(frank.id);

    expect(await sql.get(`SELECT "disabled" FROM "User" WHERE "id" = ?`, frank.id)).toEqual({
      disabled: true,
    });
    // The organization's own trail (with each event's details) records the add without the account's name.
    const trail = await (await globex.fetch("/api/admin/v1/orgs/globex/audit/export?format=ndjson")).text();
    expect(trail).toMatch(/"member\.added".*frank@acme\.test/);
    expect(trail).not.toContain("Realname");
  });

  it("per membership: a member whose last one was disabled keeps the account, and is back when added again", async () => {
    const created = await addMember(globex, "globex", {
      email: "gus@globex.test",
      name: "Gus",
      role: "VIEWER",
    });
    const { temporaryPassword } = (await created.json()) as { temporaryPassword: string };
    await sql.run(
      `UPDATE "Membership" SET "disabledAt" = ? WHERE "userId" = (SELECT "id" FROM "User" WHERE "email" = ?)`,
      new Date(),
      "gus@globex.test",
    );
    const gus = await signedIn("gus@globex.test", temporaryPassword);
    const home = await gus.fetch("/");
    expect(home.status).toBe(200);
    const page = await home.text();
    expect(page).toContain("No organization");
    expect(page).not.toContain("Act for");

    expect(
      (await addMember(globex, "globex", { email: "gus@globex.test", name: "Gus", role: "VIEWER" })).status,
    ).toBe(201);
    expect(await (await gus.fetch("/")).text()).not.toContain("No organization");
  });
});
