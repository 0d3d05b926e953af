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
