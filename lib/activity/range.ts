import { RANGES, type Range } from "./types";

export const DEFAULT_RANGE: Range = "30d";

/** The `?range=` search param as a Range: "24h", "7d" or "30d"; anything else (missing, repeated, unknown) is 30d. */
export function parseRange(value: unknown): Range {
  return typeof value === "string" && Object.hasOwn(RANGES, value) ? (value as Range) : DEFAULT_RANGE;
}
