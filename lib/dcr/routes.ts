import { introspectHandler, registerHandler, tokenHandler, type ClientHandler } from "./handlers";

/**
 * The client-facing POST endpoints by path: served directly by the HTTP server in front of the
 * console (server/hot-path.ts), which is the hot path in production, and mounted by their Next route files (so
 * `next dev` and the tests of the route files serve them). One table, so the two can never disagree.
 */
export const DCR_ROUTES: Record<string, ClientHandler> = {
  "/o/client/register": registerHandler("adobe"),
  "/o/client/token": tokenHandler("adobe"),
  "/oauth2/register": registerHandler("rfc"),
  "/oauth2/token": tokenHandler("rfc"),
  "/oauth2/introspect": introspectHandler,
};
