/**
 * The HTTP server in front of the console: it is the one place that sees the socket, so it sets the client IP
 * and request id that the app trusts (discarding any a client sent). It serves the client-facing endpoints
 * itself (./hot-path.ts) and passes everything else to the console's process (./console-process.ts) over its
 * private socket, as it came. This process never loads Next.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createProxyServer } from "http-proxy-3";
import { env } from "../lib/env";
import { pathOf, type ClientResponse } from "../lib/dcr/exchange";
import { enhancedError, jsonResponse, OAuthError } from "../lib/dcr/responses";
import { ForbiddenError } from "../lib/errors";
import { CLIENT_IP_HEADER, REQUEST_ID_HEADER } from "../lib/request-meta";
import { assertSameOrigin } from "../lib/same-origin";
import { securityHeaders } from "../lib/security-headers";
import { mayRunAction } from "./action-status";
import { consoleAgent } from "./console-agent";
import { hotPath, readBody, writeResponse } from "./hot-path";

const HTTP_HEADERS = Object.entries(securityHeaders(false));
const HTTPS_HEADERS = Object.entries(securityHeaders(true));

/**
 * Behind one trusted proxy, the client is the last X-Forwarded-For entry: the one that proxy appended. Earlier
 * entries are whatever the client sent, and trusting them would let anyone pick their own throttle bucket.
 */
function clientIp(req: IncomingMessage): string {
  if (env.TRUST_PROXY) {
    const last = String(req.headers["x-forwarded-for"] ?? "")
      .split(",")
      .at(-1)
      ?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? "unknown";
}

/** TLS ends at a proxy in front of us: only a trusted one may say the client used HTTPS. */
function overHttps(req: IncomingMessage): boolean {
  return (
    env.TRUST_PROXY &&
    String(req.headers["x-forwarded-proto"] ?? "")
      .split(",")[0]
      ?.trim() === "https"
  );
}

/** The answer in the shape of the API the path addresses: the admin API's, the enhanced one, or OAuth's. */
function inApiShape(
  req: IncomingMessage,
  shapes: { admin: () => ClientResponse; enhanced: () => ClientResponse; oauth: () => ClientResponse },
): ClientResponse {
  const path = pathOf(req.url ?? "/");
  if (path.startsWith("/api/admin/")) return shapes.admin();
  return path.startsWith("/api/v2/") ? shapes.enhanced() : shapes.oauth();
}

/** A 400 in the shape of the API the path addresses. */
function refuse(req: IncomingMessage, res: ServerResponse, requestId: string, message: string) {
  const response = inApiShape(req, {
    admin: () => jsonResponse({ error: { code: "validation_failed", message } }, 400),
    enhanced: () => enhancedError(400, "invalid_request", message, requestId),
    oauth: () => new OAuthError("invalid_request", message).toResponse(),
  });
  writeResponse(req, res, response);
}

/** What a request meets while the console's process is (re)starting: a 503 to retry, in the API's shape. */
function unavailable(req: IncomingMessage, res: ServerResponse) {
  const message = "The console is restarting. Try again in a moment.";
  const requestId = String(req.headers[REQUEST_ID_HEADER]);
  const response = inApiShape(req, {
    admin: () => jsonResponse({ error: { code: "unavailable", message } }, 503),
    enhanced: () => enhancedError(503, "temporarily_unavailable", message, requestId),
    oauth: () => new OAuthError("temporarily_unavailable", message, 503).toResponse(),
  });
  writeResponse(req, res, { ...response, headers: { ...response.headers, "retry-after": "1" } });
}

/**
 * A path that is not valid percent-encoded UTF-8 (`/api/v2/%FF/configuration`) makes Next fail to decode its
 * dynamic segments and answer a bare 500. Refuse it here with a 400 in the shape of the API it addresses.
 */
function malformedPath(req: IncomingMessage): boolean {
  try {
    decodeURIComponent(pathOf(req.url ?? "/"));
    return false;
  } catch {
    return true;
  }
}

/**
 * Next and Auth.js build URLs from the Host header, and one that is not a host (`a b`, `[zz`, `x:99999`) makes
 * every page throw (a 500 and a stack trace per request). HTTP says such a request is a 400 (RFC 9112 §3.2):
 * answer it here, before anything reads it. Only what a URL would carry back unchanged is a host.
 */
function invalidHost(req: IncomingMessage): boolean {
  const host = req.headers.host;
  if (host === undefined) return false; // HTTP/1.0; Node already refuses an HTTP/1.1 request without one
  if (validHosts.has(host)) return false; // clients send the same few: parse each once
  if (!/^[A-Za-z0-9._~!$&'()*+,;=:[\]-]+$/.test(host)) return true;
  const url = URL.parse(`http://${host}/`);
  const invalid = !url || url.username !== "" || url.pathname !== "/" || url.hostname === "";
  if (!invalid && validHosts.size < 64) validHosts.add(host);
  return invalid;
}
const validHosts = new Set<string>();

/**
 * A server action acts with the session cookie, so it must come from a page of this site, by the admin API's
 * rule (lib/same-origin.ts). Next compares an Origin with the Host only when one is sent; without one it runs
 * the action. Refused here, before the console reads the body: nothing runs, and the answer is a plain 403.
 */
const ACTION_BODY_LIMIT = 1024 * 1024;
function refuseCrossSiteAction(req: IncomingMessage, res: ServerResponse): boolean {
  if (!mayRunAction(req)) return false;
  try {
    assertSameOrigin({ get: (name) => [req.headers[name]].flat()[0] ?? null });
    return false;
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    const answer = jsonResponse({ error: { code: error.code, message: error.message } }, 403);
    // The body is read (and dropped) first, as Next would: a client still sending it would otherwise see its
    // connection reset instead of the answer. Past Next's own limit for an action, the connection closes.
    readBody(req, ACTION_BODY_LIMIT).then(
      () => writeResponse(req, res, answer),
      () => res.destroy(),
    );
    return true;
  }
}

/**
 * X-Forwarded-Host and X-Forwarded-Proto say which site and scheme the client used; Next and Auth.js build
 * redirects and choose cookie names from them. Only a trusted proxy may say so: from anyone else they go, and
 * Next fills them in from the connection itself.
 */
const FORWARDED = ["x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded"];
function dropForwardedHeaders(req: IncomingMessage) {
  for (const name of FORWARDED) if (name in req.headers) delete req.headers[name];
  // Next copies X-Forwarded-For into its own notion of the client; keep it honest too.
  req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? undefined;
}

/**
 * Passes a request to the console as it came: path and query unparsed (`toProxy`), Host and headers as the
 * checks above left them, over kept-alive connections to its socket.
 */
function consoleProxy(socketPath: string) {
  const proxy = createProxyServer({
    target: { socketPath, host: "localhost", port: env.PORT },
    agent: consoleAgent(),
    toProxy: true,
    ws: true,
  });
  proxy.on("error", (error, req, res) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ECONNREFUSED" && code !== "ENOENT") console.error("[front] console request failed:", error);
    if (!("writeHead" in res)) return void res.destroy(); // a WebSocket (development's hot reload)
    if (res.headersSent) return void res.destroy();
    unavailable(req, res);
  });
  return proxy;
}

/**
 * Sets what the app trusts about a request: its id, the client's address, and no forwarded headers unless a
 * trusted proxy sent them. The id is always minted here, never taken from the client: it is what refusals are
 * recorded and found under (Find), so a client must not be able to plant records under an id of its choosing.
 */
function stamp(req: IncomingMessage): string {
  const requestId = randomUUID();
  req.headers[REQUEST_ID_HEADER] = requestId;
  req.headers[CLIENT_IP_HEADER] = clientIp(req);
  if (!env.TRUST_PROXY) dropForwardedHeaders(req);
  return requestId;
}

/**
 * Serves on PORT until SIGTERM or SIGINT, then finishes its open requests, calls `drained` (which stops the
 * console when this front owns it) and exits. In development the route files serve the client endpoints
 * too (and reload on edit); in production the hot path answers them here.
 */
export async function startFront({
  dev,
  consoleSocket,
  drained,
}: {
  dev: boolean;
  consoleSocket: string;
  drained?: () => Promise<void>;
}) {
  const serveHotPath = dev ? () => false : hotPath;
  const toConsole = consoleProxy(consoleSocket);

  const server = createServer((req, res) => {
    const requestId = stamp(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    for (const [name, value] of overHttps(req) ? HTTPS_HEADERS : HTTP_HEADERS) res.setHeader(name, value);
    if (malformedPath(req))
      return refuse(req, res, requestId, "The request path is not valid percent-encoded UTF-8.");
    if (invalidHost(req)) return refuse(req, res, requestId, "The Host header is not a valid host name.");
    if (serveHotPath(req, res)) return;
    if (refuseCrossSiteAction(req, res)) return;
    toConsole.web(req, res);
  });
  // Development's hot reload talks over a WebSocket; production's pages use none.
  server.on("upgrade", (req: IncomingMessage, socket, head: Buffer) => {
    stamp(req);
    if (malformedPath(req) || invalidHost(req)) return void socket.destroy();
    toConsole.ws(req, socket, head);
  });

  await new Promise<void>((resolve) => server.listen(env.PORT, resolve));
  console.log(`▲ Ready on http://localhost:${env.PORT}${dev ? " (development)" : ""}`);

  // Idempotent: a cluster worker gets the signal twice (from its process group and from the primary), and a
  // second one must not kill it by default before it has drained.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: finishing open requests…`);
    const exit = () => process.exit(0);
    server.close(() => void (drained?.() ?? Promise.resolve()).then(exit, exit));
    server.closeIdleConnections();
    setTimeout(exit, 10_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  return server;
}
