/**
 * The client-facing POST endpoints, and the statement URL (a GET), served straight from node:http, ahead of
 * Next: the same handlers the route files mount (lib/dcr/routes.ts, app/o/client/statement), on node's request
 * and response as they are (no WHATWG Request, Headers, stream or Response per request), without the ~0.6 ms a
 * request of Next's pipeline. Everything else (pages, the admin API, other methods on these paths) goes to Next.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ClientRequest, ClientResponse } from "../lib/dcr/exchange";
import { pathOf, STATEMENT_URL_PREFIX } from "../lib/dcr/exchange";
import { statementUrlHandler, type ClientHandler } from "../lib/dcr/handlers";
import { OAuthError } from "../lib/dcr/responses";
import { DCR_ROUTES } from "../lib/dcr/routes";

/**
 * The hot path's router: takes a request for one of the client-facing endpoints and answers it (true), or
 * leaves it to Next (false). Its handlers import "server-only", the guard that keeps server modules out of
 * client bundles: this process is server code, and server/tsconfig.json (which `npm start` runs with)
 * resolves the guard to its empty variant, as React's `react-server` condition does inside Next.
 */
export function hotPath(req: IncomingMessage, res: ServerResponse): boolean {
  const path = pathOf(req.url ?? "/");
  const handler =
    req.method === "POST"
      ? DCR_ROUTES[path]
      : (req.method === "GET" || req.method === "HEAD") && path.startsWith(STATEMENT_URL_PREFIX)
        ? statementUrlHandler
        : undefined;
  if (!handler) return false;
  void serve(handler, req, res);
  return true;
}

/** Sends a client-facing response on node's response. */
export function writeResponse(req: IncomingMessage, res: ServerResponse, response: ClientResponse) {
  const headers: Record<string, string | number> = {
    ...response.headers,
    "content-length": Buffer.byteLength(response.body),
  };
  // A body refused unread (413 past 64 KiB, or a wrong Content-Type) makes Node close the socket after the
  // answer: say so, or the client sends its next request on that socket and sees it reset.
  if (!req.complete) headers.connection = "close";
  res.writeHead(response.status, headers);
  res.end(response.body);
}

function nodeRequest(req: IncomingMessage): ClientRequest {
  return {
    method: req.method ?? "POST",
    target: req.url ?? "/",
    header(name) {
      const value = req.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    body: (limit) => readBody(req, limit),
  };
}

/** The body, or null once it passes `limit` bytes (reading stops there). Rejects if the client goes away. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      done();
      req.pause();
      resolve(null);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () =>
      onError(new Error("The client closed the connection before sending the whole body."));
    req.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
  });
}

async function serve(handler: ClientHandler, req: IncomingMessage, res: ServerResponse) {
  try {
    writeResponse(req, res, await handler(nodeRequest(req)));
  } catch (error) {
    console.error("[hot-path] unexpected failure:", error);
    if (res.headersSent) return void res.end();
    writeResponse(
      req,
      res,
      new OAuthError("server_error", "The server could not complete the request.", 500).toResponse(),
    );
  }
}
