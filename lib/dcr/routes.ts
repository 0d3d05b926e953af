import { introspectHandler, registerHandler, tokenHandler } from "./handlers";

/**
 * The client-facing endpoints by path: mounted by their Next route files (so `next dev` and the tests of the
 * route files serve them) and served directly by the HTTP server in front of Next (server/front.ts), which
 * is the hot path in production. One table, so the two can never disagree.
 */
export const DCR_ROUTES: Record<string, { POST: (request: Request) => Promise<Response> }> = {
  "/o/client/register": { POST: registerHandler("adobe") },
  "/o/client/token": { POST: tokenHandler("adobe") },
  "/oauth2/register": { POST: registerHandler("rfc") },
  "/oauth2/token": { POST: tokenHandler("rfc") },
  "/oauth2/introspect": { POST: introspectHandler },
};
