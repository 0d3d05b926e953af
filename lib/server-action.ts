import "server-only";
import { z } from "zod";
import { actionRequests } from "@/lib/action-request";

/**
 * The boundary of every server action: its arguments are whatever a request's body decoded to, not what its
 * TypeScript signature says. `serverAction` checks them first and marks the request accepted; a request
 * with anything else (a string where a form's FormData belongs, an object for an id) is refused as malformed
 * before the action does anything, and server/action-status.ts answers it with a 400.
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

/**
 * The one way to write a server action: one schema per argument, and a handler that receives only the parsed
 * values. `serverAction([idArgument, previousState, formArgument], async (id, _prev, form) => …)` is the
 * action `(id, prev, data)`; a request whose arguments do not parse never reaches the handler (400).
 */
export function serverAction<const S extends readonly [z.ZodType, ...z.ZodType[]] | readonly [], R>(
  schemas: S,
  handler: (...args: { -readonly [K in keyof S]: z.output<S[K]> }) => Promise<R>,
): (...args: { -readonly [K in keyof S]: z.input<S[K]> }) => Promise<R> {
  return async (...args) =>
    handler(...(actionArguments(schemas, args) as unknown as { -readonly [K in keyof S]: z.output<S[K]> }));
}

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
