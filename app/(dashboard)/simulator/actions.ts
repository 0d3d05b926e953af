"use server";

import { z } from "zod";
import { requireCurrentScope } from "@/lib/auth/caller";
import { AppError } from "@/lib/errors";
import { objectArgument, serverAction, textArgument } from "@/lib/server-action";
import { issueSimulationTicket, ticketRequestSchema } from "@/lib/simulator/ticket";
import { getStatement, listStatements } from "@/lib/statements/service";
import { readableIdentity } from "@/lib/statements/identity";

export type StatementChoice = {
  id: string;
  fingerprint: string;
  applicationName: string;
  status: "active" | "revoked";
};

export type RunStart =
  | {
      ok: true;
      ticket: string;
      softwareStatement: string;
      serviceProvider: string;
      statementStatus: "active" | "revoked";
    }
  | { ok: false; error: string; code?: string };

/**
 * Starts a simulated run (or scenario) on one of the organization's statements: a ticket that marks the
 * registrations it makes as simulated (and, for the expiry scenario, shortens their tokens' lifetime),
 * recorded as `simulation.run`. Viewers are refused by the ticket service itself.
 */
export const startRunAction = serverAction([objectArgument], async (input): Promise<RunStart> => {
  const run = ticketRequestSchema.safeParse(input);
  if (!run.success)
    return { ok: false, error: "Choose a statement and a scenario.", code: "validation_failed" };
  try {
    const scope = await requireCurrentScope();
    const { ticket } = await issueSimulationTicket(scope, run.data);
    const statement = await getStatement(scope, run.data.statementId);
    return {
      ok: true,
      ticket,
      softwareStatement: statement.software_statement,
      serviceProvider: scope.org.slug,
      statementStatus: statement.status,
    };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message, code: error.code };
    throw error;
  }
});

const pastedSchema = z.string().trim().min(1, "Paste a software statement (a JWT).").max(65_536);

/**
 * A pasted statement is simulated only if it is one of this organization's stored statements: that is what
 * lets every registration the simulator makes carry the simulated flag (and stay out of other organizations).
 */
export const findPastedStatementAction = serverAction(
  [textArgument],
  async (
    jwt,
  ): Promise<{ ok: true; statement: StatementChoice } | { ok: false; error: string; code?: string }> => {
    const parsed = pastedSchema.safeParse(jwt);
    if (!parsed.success) return { ok: false, error: parsed.error.issues[0]!.message };
    try {
      const scope = await requireCurrentScope();
      // By identity, as the registration endpoint will recognise it.
      const fingerprint = readableIdentity(parsed.data);
      const { items } = fingerprint
        ? await listStatements(scope, { q: fingerprint, limit: 1 })
        : { items: [] };
      const found = items.find((s) => s.fingerprint === fingerprint);
      if (!found) {
        return {
          ok: false,
          error: `This statement is not one of ${scope.org.name}'s stored statements. Upload it first (Statements → Upload): the simulator only plays your organization's statements, so that every registration it makes is marked simulated.`,
        };
      }
      return {
        ok: true,
        statement: {
          id: found.id,
          fingerprint: found.fingerprint,
          applicationName: found.applicationName,
          status: found.status,
        },
      };
    } catch (error) {
      if (error instanceof AppError) return { ok: false, error: error.message, code: error.code };
      throw error;
    }
  },
);
