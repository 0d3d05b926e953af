export const REDACTED = "[redacted]";

// Keys whose values are credentials or key material. Matched case-insensitively, ignoring `_` and `-`.
// `token` only at the end, so `tokenCount` and `tokenLifetime` stay readable while `accessToken` does not.
const SECRET_KEY =
  /(password|secret|privatekey|privatejwk|apikey|authorization|cookie|credential|token$|tokenhash$)/;

/** A deep copy of `value` with every secret-looking field replaced, for audit before/after snapshots. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key.toLowerCase().replace(/[_-]/g, "")) ? REDACTED : redactSecrets(v);
    }
    return out;
  }
  return value;
}
