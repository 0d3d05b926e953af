import { hkdfSync } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HttpSession } from "@/test/harness/http";
import { openServerSql } from "@/test/harness/server-sql";

/**
 * A simulation ticket over HTTP on the real app: genuine (signed with the server's own key, as
 * issueSimulationTicket signs it) yet refused once its signer is no admin of the organization any more, or
 * their account is disabled. The ticket lives 15 minutes; what its signer may do is re-read on every use.
 */
const baseUrl = inject("baseUrl");
const sql = await openServerSql();
afterAll(() => sql.close());

const secret =
  process.env.AUTH_SECRET ?? readFileSync(path.join(inject("serverDataDir"), "auth-secret"), "utf8").trim();
const KEY = Buffer.from(hkdfSync("sha256", secret, "statement-console", "simulation-ticket/v1", 32));

let admin: HttpSession;
let statement: { software_statement: string; fingerprint: string };
let orgId: string;

let addresses = 0;
const freshIp = () => `172.31.7.${1 + addresses++}`;

const ticketFor = (userId: string) =>
  new SignJWT({ org: orgId, fpr: statement.fingerprint })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime("15m")
    .sign(KEY);

async function registerWith(ticket: string) {
  const res = await fetch(`${baseUrl}/o/client/register`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      "x-forwarded-for": freshIp(),
      "x-simulation-ticket": ticket,
    },
    body: JSON.stringify({ software_statement: statement.software_statement }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const userId = async (email: string) =>
  (await sql.get<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = ?`, email))!.id;

beforeAll(async () => {
  admin = new HttpSession();
  expect((await admin.signIn("admin@acme.test", inject("seedPassword"))).status).toBe(302);
  const json = { "content-type": "application/json", origin: baseUrl };
  const apps = "/api/admin/v1/orgs/acme/applications";
  const app = (await (
    await admin.fetch(apps, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ name: "Ticket signer", platforms: ["tvOS"], domains: ["acme.test"] }),
    })
  ).json()) as { id: string };
  statement = (await (
    await admin.fetch(`${apps}/${app.id}/statements`, { method: "POST", headers: json, body: "{}" })
  ).json()) as typeof statement;
  orgId = (await sql.get<{ id: string }>(`SELECT "id" FROM "Organization" WHERE "slug" = ?`, "acme"))!.id;
});

describe("a simulation ticket", () => {
  it("from an active admin registers a simulated client", async () => {
    const reply = await registerWith(await ticketFor(await userId("admin@acme.test")));
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  });

  it("is refused when its signer is a viewer, or an admin who was demoted or disabled since", async () => {
    const viewer = await registerWith(await ticketFor(await userId("viewer@acme.test")));
    expect(viewer).toMatchObject({ status: 400, body: { error: "invalid_request" } });

    const added = await admin.fetch("/api/admin/v1/orgs/acme/members", {
      method: "POST",
      headers: { "content-type": "application/json", origin: baseUrl },
      body: JSON.stringify({ email: "simulator-admin@acme.test", name: "Sim Admin", role: "ADMIN" }),
    });
    expect(added.status).toBe(201);
    const signer = await userId("simulator-admin@acme.test");
    const ticket = await ticketFor(signer);
    expect((await registerWith(ticket)).status).toBe(201);

    await sql.run(`UPDATE "Membership" SET "role" = 'VIEWER' WHERE "userId" = ?`, signer);
    expect(await registerWith(ticket)).toMatchObject({ status: 400, body: { error: "invalid_request" } });

    await sql.run(`UPDATE "Membership" SET "role" = 'ADMIN' WHERE "userId" = ?`, signer);
    await sql.run(`UPDATE "User" SET "disabled" = ? WHERE "id" = ?`, true, signer);
    expect(await registerWith(ticket)).toMatchObject({ status: 400, body: { error: "invalid_request" } });
  });
});
