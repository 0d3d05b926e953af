import "server-only";
import { AppError, ValidationError } from "@/lib/errors";

/** What a server action returns to its form: a message and, for invalid input, errors per field. */
export type ActionState = {
  ok?: boolean;
  message?: string;
  /** The service layer's error code when it failed (`unauthenticated`, `forbidden`, `not_found`, …). */
  code?: string;
  fieldErrors?: Record<string, string[]>;
  /** What the form sent, so a failed submission re-renders with nothing lost. */
  values?: Record<string, string[]>;
};

/**
 * Runs a form's mutation and turns the service layer's typed failures into form state. Anything else
 * (including Next's redirects) propagates.
 */
export async function toActionState(work: () => Promise<string>): Promise<ActionState> {
  try {
    return { ok: true, message: await work() };
  } catch (error) {
    if (error instanceof ValidationError)
      return { message: error.message, code: error.code, fieldErrors: error.fieldErrors };
    if (error instanceof AppError) return { message: error.message, code: error.code };
    throw error;
  }
}
