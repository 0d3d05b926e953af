const BASE = new URL("http://placeholder.invalid");

/**
 * Where to go after signing in. Only ever a path on this site, checked as a browser will read it: the value is
 * normalised first (dot segments, `\` for `/`, tabs and newlines dropped), and what comes out must still start
 * with exactly one `/` and name no other origin. `/.//evil.example` normalises to `//evil.example`, which a
 * browser follows to another site, so it goes to the overview instead. An absolute URL gives its path: Auth.js
 * hands one over, and only the path is kept.
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return "/";
  const url = URL.parse(value, BASE);
  if (!url) return "/";
  const path = url.pathname + url.search + url.hash;
  if (!/^\/(?![/\\])/.test(path) || /[\u0000-\u001f\u007f]/.test(path)) return "/";
  if (URL.parse(path, BASE)?.origin !== BASE.origin) return "/";
  return path.startsWith("/login") || path.startsWith("/api/") ? "/" : path;
}

/** Auth.js's callback-url cookie, by its plain and its HTTPS name. */
export const CALLBACK_URL_COOKIES = ["authjs.callback-url", "__Secure-authjs.callback-url"];

/**
 * Whether Auth.js will take this as a callback URL: a path on this site or an http(s) URL (where it then goes
 * is limited by safeCallbackPath). Anything else, in the query or in its callback-url cookie, Auth.js reports
 * as a server misconfiguration and answers 500 to every request that carries it — so it must not reach it.
 */
export function isAcceptableCallbackUrl(value: string): boolean {
  if (value === "") return true; // Auth.js ignores an empty one
  const url = URL.parse(value, value.startsWith("/") ? "http://placeholder.invalid" : undefined);
  return url !== null && /^https?:$/.test(url.protocol);
}
