import { z } from "zod";
import { ValidationError } from "@/lib/errors";

/** Shared pieces of the zod schemas that read filters from query strings (empty means "not given"). */

export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);

const DAY_MS = 24 * 3600 * 1000;

/**
 * The instants a filter may name: nothing here is older than 2000, and the far ends of JavaScript's dates (year
 * 0, year 10000 and beyond) are not dates the databases or ISO 8601 text agree on (they were 500s).
 */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
export const SUPPORTED_DATES = "Use a date from 2000-01-01 to 2100-01-01.";
export const supportedDate = (at: Date) => at.getTime() >= EARLIEST && at.getTime() <= LATEST;

/** A date or date-time; with `endOfDay`, a bare date ("2026-11-27") means the end of that day (an "until"). */
export const optionalDate = ({ endOfDay }: { endOfDay: boolean }) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const date = new Date(v);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: "custom", message: "Use a date such as 2026-11-27." });
        return z.NEVER;
      }
      if (!supportedDate(date)) {
        ctx.addIssue({ code: "custom", message: SUPPORTED_DATES });
        return z.NEVER;
      }
      return endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(date.getTime() + DAY_MS - 1) : date;
    });

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  date: "a date",
};

/** "applicationId" → "application id": a field as a person names it. */
function fieldWords(path: readonly PropertyKey[]): string {
  const key = [...path].reverse().find((p): p is string => typeof p === "string");
  return key ? key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase() : "value";
}

const withArticle = (words: string) => `${/^[aeiou]/.test(words) ? "an" : "a"} ${words}`;

/**
 * What zod says when a schema gave no message of its own, in words a person understands ("Give a name."),
 * never zod's own text ("Invalid input: expected string, received undefined"). Schemas' own messages win.
 */
export const humanError: z.core.$ZodErrorMap = (issue) => {
  const field = fieldWords(issue.path ?? []);
  switch (issue.code) {
    case "invalid_type":
      if (!issue.path?.length && issue.expected === "object") return "Send the fields as a JSON object.";
      return issue.input === undefined || issue.input === null
        ? `Give ${withArticle(field)}.`
        : `Give the ${field} as ${EXPECTED[issue.expected] ?? issue.expected}.`;
    case "too_small":
      if (issue.origin === "string")
        return Number(issue.minimum) <= 1
          ? `Give ${withArticle(field)}.`
          : `Use at least ${issue.minimum} characters for the ${field}.`;
      if (issue.origin === "array" || issue.origin === "set")
        return `Give at least ${issue.minimum} ${Number(issue.minimum) === 1 ? "item" : "items"} for the ${field}.`;
      return `Use a ${field} of at least ${issue.minimum}.`;
    case "too_big":
      if (issue.origin === "string") return `Use at most ${issue.maximum} characters for the ${field}.`;
      if (issue.origin === "array" || issue.origin === "set")
        return `Give at most ${issue.maximum} items for the ${field}.`;
      return `Use a ${field} of at most ${issue.maximum}.`;
    case "invalid_value":
      return `Choose the ${field} from: ${issue.values.map(String).join(", ")}.`;
    case "invalid_format":
      return issue.format === "email" ? "Give a valid email address." : `Give a valid ${field}.`;
    case "unrecognized_keys":
      return `Leave out what is not a field here: ${issue.keys.join(", ")}.`;
    default:
      return `Check the ${field}.`;
  }
};

/**
 * The one way the service layer reads input: the parsed value, or a ValidationError whose field messages a
 * person understands (`details.fields` in the API, the highlighted fields in a form).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  message = "Check the highlighted fields.",
): z.output<S> {
  const parsed = schema.safeParse(input, { error: humanError });
  if (parsed.success) return parsed.data;
  const { formErrors, fieldErrors } = z.flattenError(parsed.error);
  throw new ValidationError(formErrors[0] ?? message, fieldErrors as Record<string, string[]>);
}
