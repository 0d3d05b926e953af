/**
 * Where to go after signing in. Only ever a path on this site: whatever origin the value names is dropped,
 * so a crafted link cannot turn sign-in into an open redirect.
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return "/";
  try {
    const url = new URL(value, "http://placeholder.invalid");
    const path = url.pathname + url.search + url.hash;
    return path.startsWith("/login") || path.startsWith("/api/") ? "/" : path;
  } catch {
    return "/";
  }
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
