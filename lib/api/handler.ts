import "server-only";
import { getCaller } from "@/lib/auth/caller";
import { scopeForOrg, type Caller, type OrgScope } from "@/lib/auth/scope";
import { AppError, UnauthenticatedError, ValidationError } from "@/lib/errors";
import { REQUEST_ID_HEADER, requestMetaFrom } from "@/lib/request-meta";
import { assertSameOrigin } from "@/lib/same-origin";
import { callerForToken } from "@/lib/tokens/service";

/**
 * The admin API's one way in: authenticates (deny by default), refuses cross-site mutations, resolves the
 * organization in the path (another organization's slug is a 404), and turns typed service failures into
 * `{ error: { code, message } }` with the right status. Handlers stay a few lines over the services.
 */
type RouteContext<P> = { params: Promise<P> };
type Handler<P> = (ctx: { request: Request; params: P; caller: Caller }) => Promise<Response>;

export const MAX_JSON_BYTES = 64 * 1024;

export function adminRoute<P>(handler: Handler<P>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const bearer = bearerToken(request);
      const caller =
        bearer === null ? await getCaller() : await callerForToken(bearer, requestMetaFrom(request.headers));
      if (!caller) throw new UnauthenticatedError("Sign in, or send a valid Authorization: Bearer token.");
      // A bearer token is not sent by browsers on their own, so only cookie mutations need the CSRF check.
      if (bearer === null && !["GET", "HEAD", "OPTIONS"].includes(request.method))
        assertSameOrigin(request.headers);
      return await handler({ request, params: await context.params, caller });
    } catch (error) {
      return errorResponse(error, request);
    }
  };
}

/** Like `adminRoute`, with the `{org}` path segment already turned into the caller's scope in it. */
export function orgRoute<P extends { org: string }>(
  handler: (ctx: { request: Request; params: P; scope: OrgScope }) => Promise<Response>,
) {
  return adminRoute<P>(async ({ request, params, caller }) =>
    handler({ request, params, scope: await scopeForOrg(caller, params.org) }),
  );
}

/** The bearer token sent, if the request has an Authorization header (any other scheme is refused). */
function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError("Send Authorization: Bearer <personal access token>.");
  return match[1] ?? "";
}

export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: { "Cache-Control": "no-store" } });
}

/** A download: `body` as the attachment `filename`, never cached or sniffed as another type. */
export function attachment(
  body: BodyInit,
  { filename, contentType }: { filename: string; contentType: string },
): Response {
  return new Response(body, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/**
 * Which of `offered` the request's Accept header names with the highest q (the first listed on a tie), or
 * `offered[0]`, the default, when it names none of them (wildcards included).
 */
export function preferredType<T extends string>(request: Request, offered: readonly [T, ...T[]]): T {
  let best: { type: T; q: number } | null = null;
  for (const entry of (request.headers.get("accept") ?? "").split(",")) {
    const [range = "", ...params] = entry.split(";").map((p) => p.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const type = offered.find((t) => t === range);
    if (type && (!best || q > best.q)) best = { type, q };
  }
  return best?.type ?? offered[0];
}

/** The request's JSON body, bounded in size; malformed JSON or UTF-8 is a 400, never a 500. */
export async function readJson(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type))
    throw new ValidationError("Send a JSON body with Content-Type: application/json.");
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_JSON_BYTES)
    throw new ValidationError(`The body is larger than ${MAX_JSON_BYTES / 1024} KiB.`);
  const bytes = await request.arrayBuffer();
  if (bytes.byteLength > MAX_JSON_BYTES)
    throw new ValidationError(`The body is larger than ${MAX_JSON_BYTES / 1024} KiB.`);
  let text: string;
  try {
    // Strict: a lenient decode would turn invalid bytes into U+FFFD and store them, or make a refused value valid.
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError("The body is not valid UTF-8.");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError("The body is not valid JSON.");
  }
}

export function searchParams(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

function errorResponse(error: unknown, request: Request): Response {
  if (error instanceof AppError) {
    const body = {
      error: { code: error.code, message: error.message, ...(error.details && { details: error.details }) },
    };
    const headers: Record<string, string> = { "Cache-Control": "no-store" };
    if (error.status === 429 && error.details?.retryAfter)
      headers["Retry-After"] = String(error.details.retryAfter);
    return Response.json(body, { status: error.status, headers });
  }
  const requestId = request.headers.get(REQUEST_ID_HEADER);
  console.error(
    `[admin-api] ${request.method} ${new URL(request.url).pathname} failed (request ${requestId}):`,
    error,
  );
  return json(
    {
      error: { code: "internal_error", message: `Something went wrong on our side (request ${requestId}).` },
    },
    500,
  );
}
