import { z } from "zod";

/** Shared pieces of the zod schemas that read filters from query strings (empty means "not given"). */

export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);

const DAY_MS = 24 * 3600 * 1000;

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
      return endOfDay && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(date.getTime() + DAY_MS - 1) : date;
    });
