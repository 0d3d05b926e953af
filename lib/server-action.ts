import "server-only";
import { z } from "zod";
import { actionRequests } from "@/lib/action-request";

/**
 * The boundary of every server action: its arguments are whatever a request's body decoded to, not what its
 * TypeScript signature says. `actionArguments` checks them first and marks the request accepted; a request
 * with anything else (a string where a form's FormData belongs, an object for an id) is refused as malformed
 * before the action does anything, and server/front.ts answers it with a 400.
 */
export class MalformedActionRequest extends Error {
  constructor(issues: z.core.$ZodIssue[]) {
    super(
      `Malformed server action arguments: ${issues.map((i) => `[${i.path.join(".")}] ${i.message}`).join("; ")}`,
    );
    this.name = "MalformedActionRequest";
  }
}

/** A form submission's fields, as React sends them. */
export const formArgument = z.instanceof(FormData);
/** A record's id, as a button bound to it sends it. */
export const idArgument = z.string().min(1).max(200);
/** Text an action checks itself, with messages for its form (a pasted statement). */
export const textArgument = z.string();
/** An object an action's service checks field by field. */
export const objectArgument = z.record(z.string(), z.unknown());
/** A `useActionState` action's previous state: the action does not read it. */
export const previousState = z.unknown();

export function actionArguments<const T extends readonly [z.ZodType, ...z.ZodType[]] | readonly []>(
  schemas: T,
  args: unknown[],
): { [K in keyof T]: z.output<T[K]> } {
  // A form action may be called with more arguments than it declares (React adds none today): ignore them.
  const parsed = z
    .tuple(schemas as unknown as [z.ZodType, ...z.ZodType[]])
    .rest(z.unknown())
    .safeParse(args);
  if (!parsed.success) throw new MalformedActionRequest(parsed.error.issues);
  const request = actionRequests().getStore();
  if (request) request.accepted = true;
  return parsed.data as { [K in keyof T]: z.output<T[K]> };
}
