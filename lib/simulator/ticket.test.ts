import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";
import { orgWithMembers } from "@/test/harness/org-scope";

freshTestDatabase();
const { db } = await import("@/lib/db");
const { createApplication } = await import("@/lib/applications/service");
const { generateStatement } = await import("@/lib/statements/service");
const { registerClient, issueToken } = await import("@/lib/dcr/core");
const { OAuthError } = await import("@/lib/dcr/responses");
const { ForbiddenError } = await import("@/lib/errors");
const { issueSimulationTicket, verifySimulationTicket } = await import("./ticket");
type OrgScope = import("@/lib/auth/scope").OrgScope;

const request = { requestId: "r", ip: "127.0.0.1", userAgent: "vitest" };
let admin: OrgScope, viewer: OrgScope;
let statement: { id: string; software_statement: string; fingerprint: string };

beforeAll(async () => {
  ({ admin, viewer } = await orgWithMembers(db, "sim"));
  const app = await createApplication(admin, { name: "Sim TV", platforms: ["tvOS"], domains: ["sim.test"] });
  statement = await generateStatement(admin, app.id);
});

const register = (simulationTicket: string | null) =>
  registerClient({
    softwareStatement: statement.software_statement,
    redirectUri: null,
    deviceInfo: null,
    request,
    simulationTicket,
  });

describe("the simulator's authenticated channel", () => {
  it("is refused to viewers", async () => {
    await expect(
      issueSimulationTicket(viewer, { statementId: statement.id, scenario: "walkthrough" }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("marks a registration simulated, with the run's token lifetime, and audits the run", async () => {
    const { ticket } = await issueSimulationTicket(admin, {
      statementId: statement.id,
      scenario: "token_expiry",
      tokenLifetimeSeconds: 20,
    });
    const client = await register(ticket);
    const row = await db.clientRegistration.findUniqueOrThrow({ where: { clientId: client.clientId } });
    expect(row).toMatchObject({ simulated: true, tokenLifetimeOverride: 20 });
    const token = await issueToken(
      client.clientId,
      client.clientSecret,
      request,
      (d) => new OAuthError("invalid_client", d),
    );
    expect(token.expiresIn).toBe(20);
    const run = await db.auditEvent.findFirstOrThrow({ where: { action: "simulation.run" } });
    expect(JSON.parse(run.after!)).toMatchObject({ scenario: "token_expiry", tokenLifetimeSeconds: 20 });
  });

  it("leaves a plain registration unsimulated, with the organization's lifetime", async () => {
    const client = await register(null);
    const row = await db.clientRegistration.findUniqueOrThrow({ where: { clientId: client.clientId } });
    expect(row).toMatchObject({ simulated: false, tokenLifetimeOverride: null });
    const token = await issueToken(
      client.clientId,
      client.clientSecret,
      request,
      (d) => new OAuthError("invalid_client", d),
    );
    expect(token.expiresIn).toBe(21600);
  });

  it("refuses a ticket a client made up, or one for another statement, storing nothing", async () => {
    const before = await db.clientRegistration.count();
    const forged = await new SignJWT({ org: admin.org.id, fpr: statement.fingerprint, ttl: 10 })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode("guessed-secret-guessed-secret-32b"));
    await expect(register(forged)).rejects.toMatchObject({ error: "invalid_request" });
    await expect(register("not-a-ticket")).rejects.toMatchObject({ error: "invalid_request" });
    const { ticket } = await issueSimulationTicket(admin, {
      statementId: statement.id,
      scenario: "walkthrough",
    });
    expect(await verifySimulationTicket(ticket, "0".repeat(64), admin.org.id)).toBeNull();
    expect(await verifySimulationTicket(ticket, statement.fingerprint, "another-org")).toBeNull();
    expect(await db.clientRegistration.count()).toBe(before);
  });

  it("stops working when its signer loses the admin role, the membership, or the account", async () => {
    const { ticket } = await issueSimulationTicket(admin, {
      statementId: statement.id,
      scenario: "walkthrough",
    });
    const verify = () => verifySimulationTicket(ticket, statement.fingerprint, admin.org.id);
    const membership = { userId: admin.caller.user.id, organizationId: admin.org.id };
    expect(await verify()).toEqual({});
    try {
      await db.membership.updateMany({ where: membership, data: { role: "VIEWER" } });
      expect(await verify()).toBeNull();
      await db.membership.updateMany({ where: membership, data: { role: "ADMIN", disabledAt: new Date() } });
      expect(await verify()).toBeNull();
      await db.membership.updateMany({ where: membership, data: { disabledAt: null } });
      await db.user.update({ where: { id: membership.userId }, data: { disabled: true } });
      expect(await verify()).toBeNull();
      await expect(register(ticket)).rejects.toMatchObject({ error: "invalid_request" });
    } finally {
      await db.membership.updateMany({ where: membership, data: { role: "ADMIN", disabledAt: null } });
      await db.user.update({ where: { id: membership.userId }, data: { disabled: false } });
    }
    expect(await verify()).toEqual({});
  });

  it("bounds the lifetime override", async () => {
    await expect(
      issueSimulationTicket(admin, {
        statementId: statement.id,
        scenario: "token_expiry",
        tokenLifetimeSeconds: 5,
      }),
    ).rejects.toThrow();
    await expect(
      issueSimulationTicket(admin, {
        statementId: statement.id,
        scenario: "walkthrough",
        tokenLifetimeSeconds: 7200,
      }),
    ).rejects.toThrow();
  });
});
