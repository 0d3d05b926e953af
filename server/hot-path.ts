/**
 * The client-facing endpoints served straight from node:http, ahead of Next: the same Fetch-API handlers the
 * route files mount (lib/dcr/routes.ts), without the ~0.6 ms a request of Next's pipeline. Everything else
 * (pages, the admin API, other methods on these paths) goes to Next.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { DCR_ROUTES } from "../lib/dcr/routes";
import { env } from "../lib/env";

const ORIGIN = new URL(env.PUBLIC_URL).origin;

/**
 * The hot path's router: takes a request for one of the client-facing endpoints and answers it (true), or
 * leaves it to Next (false). Its handlers import "server-only", the guard that keeps server modules out of
 * client bundles: this process is server code, and server/tsconfig.json (which `npm start` runs with)
 * resolves the guard to its empty variant, as React's `react-server` condition does inside Next.
 */
export function hotPath(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "POST") return false;
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  const route = DCR_ROUTES[query === -1 ? url : url.slice(0, query)];
  if (!route) return false;
  void serve(route.POST, req, res);
  return true;
}

/** Sends a Fetch-API response on node's response. */
export async function writeResponse(req: IncomingMessage, res: ServerResponse, response: Response) {
  const body = Buffer.from(await response.arrayBuffer());
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => (out[name] = value));
  out["content-length"] = String(body.length);
  // A body refused unread (413 past 64 KiB, or a wrong Content-Type) makes Node close the socket after the
  // answer: say so, or the client sends its next request on that socket and sees it reset.
  if (!req.complete) out.connection = "close";
  res.writeHead(response.status, out);
  res.end(body);
}

async function serve(
  handler: (request: Request) => Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
) {
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    // The route matched req.url exactly, so it is a path; the Host header is the client's to write (`a b`,
    // `[zz`) and names nothing the handlers need.
    const request = new Request(`${ORIGIN}${req.url}`, {
      method: "POST",
      headers,
      body: Readable.toWeb(req) as ReadableStream,
      duplex: "half",
    } as RequestInit);
    await writeResponse(req, res, await handler(request));
  } catch (error) {
    console.error("[hot-path] unexpected failure:", error);
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        error: "server_error",
        error_description: "The server could not complete the request.",
      }),
    );
  }
}
