import { hostileString, type Rng } from "./random";
import type { StatementKeys } from "./statements";

/** One generated HTTP request and what its answer must look like. */
export type FuzzRequest = {
  label: string;
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The documented answer shape: OAuth `{error, error_description}`, REST v2 enhanced error, admin `{error:{code,message}}`, … */
  shape: "oauth" | "introspection" | "enhanced" | "discovery" | "admin" | "action";
  /** The input is defective: any 2xx answer means it was accepted (and may have stored something). */
  mustReject: boolean;
  /** Counts against the per-address throttle: gets an X-Forwarded-For address of its own. */
  throttled: boolean;
};

/** A request and nothing of what its answer must be. */
export type PlainRequest = Pick<FuzzRequest, "label" | "method" | "path" | "headers" | "body">;

/** A header value fetch will send: printable Latin-1, no CR, LF or NUL. */
export function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x7e\x80-\xff]/g, "?");
}

/** Headers that must not change an answer: huge, repeated-looking, odd — added on top of a defect. */
export function noiseHeaders(rng: Rng): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rng.chance(0.15)) headers["x-fuzz-padding"] = "p".repeat(rng.between(1_000, 12_000));
  if (rng.chance(0.15)) headers["user-agent"] = headerSafe(hostileString(rng)).slice(0, 6_000) || "ua";
  if (rng.chance(0.05)) headers["user-agent"] = `Roku/DVP-12.0 ${"x".repeat(rng.between(500, 6_000))}`;
  if (rng.chance(0.05)) headers["accept-charset"] = "utf-16, iso-8859-1;q=0.5";
  if (rng.chance(0.05)) headers["content-encoding"] = rng.pick(["gzip", "identity", "br, gzip"]);
  if (rng.chance(0.05)) headers["x-request-id"] = headerSafe(hostileString(rng)).slice(0, 300);
  return headers;
}

/** What the client-facing generators build on: the fuzzing organization's statement keys, a client and its token. */
export type ClientContext = {
  keys: StatementKeys;
  client: { id: string; secret: string };
  accessToken: string;
  org: string;
};

export const b64 = (text: string) => Buffer.from(text).toString("base64");
export const JSON_TYPE = "application/json";
export const FORM_TYPE = "application/x-www-form-urlencoded";

/** A form parameter, in order, repeats allowed. */
export type Param = [string, string];
