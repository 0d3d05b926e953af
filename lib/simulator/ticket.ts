import "server-only";
import { hkdfSync } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import { auditContextOf, requireWrite, type OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";

/**
 * The simulator's authenticated channel. The dashboard's client app calls the real endpoints over HTTP like
 * any client; a registration is marked *simulated* (and may get a short token lifetime) only when it carries
 * a ticket that this server signed for a signed-in admin, for that exact statement, minutes ago. A client
 * cannot make one up.
 */
export const SIMULATION_TICKET_HEADER = "x-simulation-ticket";
const KEY = Buffer.from(hkdfSync("sha256", env.AUTH_SECRET, "statement-console", "simulation-ticket/v1", 32));
const TICKET_SECONDS = 15 * 60;

export const SCENARIOS = ["walkthrough", "lost_credentials", "token_expiry", "revoked_statement"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export const ticketRequestSchema = z.object({
  statementId: z.string().min(1).max(64),
  scenario: z.enum(SCENARIOS),
  // The expiry scenario's short token lifetime; only ever applied to simulated registrations.
  tokenLifetimeSeconds: z.coerce.number().int().min(10).max(3600).optional(),
});

export type SimulationTicket = { ticket: string; expiresAt: Date; statementFingerprint: string };

export async function issueSimulationTicket(scope: OrgScope, input: unknown): Promise<SimulationTicket> {
  requireWrite(scope);
  const valid = parseInput(ticketRequestSchema, input, "Invalid simulation.");
  const { statementId, scenario, tokenLifetimeSeconds } = valid;
  const statement = await db.softwareStatement.findFirst({
    where: { id: statementId, organizationId: scope.org.id },
    select: { id: true, fingerprint: true, status: true },
  });
  if (!statement) throw new NotFoundError("Statement");
  const now = Math.floor(Date.now() / 1000);
  const ticket = await new SignJWT({
    org: scope.org.id,
    fpr: statement.fingerprint,
    ...(tokenLifetimeSeconds && { ttl: tokenLifetimeSeconds }),
  })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(scope.caller.user.id)
    .setIssuedAt(now)
    .setExpirationTime(now + TICKET_SECONDS)
    .sign(KEY);
  await withAudit(auditContextOf(scope), (_tx, audit) =>
    audit({
      action: "simulation.run",
      organizationId: scope.org.id,
      targetType: "statement",
      targetId: statement.id,
      after: { scenario, statementStatus: statement.status.toLowerCase(), tokenLifetimeSeconds },
    }),
  );
  return {
    ticket,
    expiresAt: new Date((now + TICKET_SECONDS) * 1000),
    statementFingerprint: statement.fingerprint,
  };
}

/**
 * The ticket's terms when it is genuine, unexpired, for this statement and organization, and its signer may
 * still run simulations there; else null. A ticket lives 15 minutes: the signer is re-read on every use, so one
 * whose account is disabled, or who is no longer an active admin of the organization, cannot keep using it.
 */
export async function verifySimulationTicket(
  ticket: string,
  fingerprint: string,
  organizationId: string,
): Promise<{ tokenLifetimeSeconds?: number } | null> {
  let payload;
  try {
    ({ payload } = await jwtVerify(ticket, KEY, { algorithms: ["HS256"] }));
  } catch {
    return null;
  }
  if (payload.fpr !== fingerprint || payload.org !== organizationId) return null;
  if (!(await mayStillSimulate(payload.sub, organizationId))) return null;
  return typeof payload.ttl === "number" ? { tokenLifetimeSeconds: payload.ttl } : {};
}

/** What issueSimulationTicket required of its signer, as of now: an enabled admin, or representative. */
async function mayStillSimulate(userId: string | undefined, organizationId: string): Promise<boolean> {
  if (!userId) return false;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      disabled: true,
      role: true,
      memberships: { where: { organizationId, role: "ADMIN", disabledAt: null }, select: { id: true } },
    },
  });
  return user !== null && !user.disabled && (user.role === "REP" || user.memberships.length > 0);
}
