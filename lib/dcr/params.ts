import { queryOf, type ClientRequest } from "./exchange";
import { OAuthError } from "./responses";

export const MAX_BODY_BYTES = 64 * 1024;

/** The body as text, refused past 64 KiB whatever Content-Length claims. */
export async function readBody(request: ClientRequest): Promise<string> {
  const tooLarge = () =>
    new OAuthError("invalid_request", `The request body is larger than ${MAX_BODY_BYTES / 1024} KiB.`, 413);
  if (Number(request.header("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const bytes = await request.body(MAX_BODY_BYTES);
  if (!bytes) throw tooLarge();
  try {
    return utf8.decode(bytes);
  } catch {
    throw new OAuthError("invalid_request", "The request body is not valid UTF-8.");
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function mediaType(request: ClientRequest): string {
  return (request.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}

/** A JSON body's Content-Type: application/json, optionally with charset=utf-8 and nothing else. */
export function requireJson(request: ClientRequest) {
  const type = request.header("content-type") ?? "";
  if (!/^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i.test(type.trim())) {
    throw new OAuthError("invalid_request", "Content-Type must be application/json.");
  }
}

/** An Accept header, when sent, must allow application/json with a non-zero quality. */
export function requireAcceptJson(request: ClientRequest) {
  const accept = request.header("accept");
  if (!accept) return;
  const allows = accept.split(",").some((range) => {
    const [type, ...params] = range.split(";").map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    return (
      ["application/json", "application/*", "*/*"].includes(type ?? "") && (!q || Number(q.slice(2)) > 0)
    );
  });
  if (!allows) throw new OAuthError("invalid_request", "Accept must allow application/json.");
}

/**
 * Form parameters from the body and the query string together (the Adobe token endpoint accepts both).
 * A parameter given twice — twice in one, or once in each — is an invalid request (RFC 6749 §3.1).
 */
export function collectParams(body: string, target: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const source of [new URLSearchParams(body), new URLSearchParams(queryOf(target))]) {
    for (const [name, value] of source) {
      if (params.has(name))
        throw new OAuthError("invalid_request", `The parameter ${name} was sent more than once.`);
      if (name.length > 64 || value.length > 4096)
        throw new OAuthError("invalid_request", `The parameter ${name.slice(0, 64)} is too long.`);
      params.set(name, value);
    }
  }
  return params;
}

/**
 * The client credentials of an `Authorization: Basic` header (RFC 6749 §2.3.1), null when there is no
 * Authorization header, and "malformed" when there is one that is not valid Basic credentials.
 */
export function basicCredentials(
  request: ClientRequest,
): { clientId: string; clientSecret: string } | "malformed" | null {
  const header = request.header("authorization");
  if (!header) return null;
  const match = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header);
  const decoded = match ? Buffer.from(match[1]!, "base64").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  if (colon < 0) return "malformed";
  const unescape = (s: string) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, " "));
    } catch {
      return s;
    }
  };
  return { clientId: unescape(decoded.slice(0, colon)), clientSecret: unescape(decoded.slice(colon + 1)) };
}

/**
 * The keys of a JSON text's top-level object, in order, duplicates included (JSON.parse silently keeps the
 * last of two equal keys, however they are escaped). Assumes the text already parsed as JSON.
 */
export function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (depth === 1 && /^\s*:/.test(text.slice(j + 1, j + 64)))
        keys.push(JSON.parse(text.slice(i, j + 1)) as string);
      i = j;
    }
  }
  return keys;
}

/** A parameter given twice is ambiguous: refuse it (docs/client-api.md §1, "repeated parameter"). */
export function assertNoDuplicateKeys(text: string) {
  const seen = new Set<string>();
  for (const key of topLevelKeys(text)) {
    if (seen.has(key))
      throw new OAuthError("invalid_request", `The parameter ${key.slice(0, 64)} was sent more than once.`);
    seen.add(key);
  }
}
