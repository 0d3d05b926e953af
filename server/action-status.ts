import type { IncomingMessage, ServerResponse } from "node:http";
import { actionRequests } from "../lib/action-request";

/**
 * A POST to a page is a server action. React decodes its arguments before any action runs, and Next answers
 * every decoding failure (bad JSON, a broken multipart body, a reference to a part that is not there, a body
 * over its 1 MB limit) with a 500, as it does a string where the action expects FormData; Next offers no hook
 * to change that status. Until an action has accepted its arguments (lib/server-action.ts), a 500 is the
 * request's fault: this module alone turns it into a 400, by wrapping `writeHead` of that one response.
 */
export function handleAction(
  req: IncomingMessage,
  res: ServerResponse,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
) {
  const request = { accepted: false };
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    const refused = status === 500 && !request.accepted;
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, refused ? 400 : status, ...rest);
  } as ServerResponse["writeHead"];
  return actionRequests().run(request, () => handle(req, res));
}

/** What Next takes for a server action: a POST to a page with an action id, or a form's body (a no-JS submit). */
export const isActionRequest = (req: IncomingMessage) =>
  req.method === "POST" &&
  !req.url?.startsWith("/api/") &&
  (req.headers["next-action"] !== undefined ||
    /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)/i.test(req.headers["content-type"] ?? ""));

/**
 * Of those, the ones Next may run an action for: with an action id, or a multipart form (a no-JS submit). Next
 * runs no URL-encoded one, and a URL-encoded POST is also how OAuth clients call the token endpoint.
 */
export const mayRunAction = (req: IncomingMessage) =>
  isActionRequest(req) &&
  (req.headers["next-action"] !== undefined ||
    /^\s*multipart\/form-data/i.test(req.headers["content-type"] ?? ""));
