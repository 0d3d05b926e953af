import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What the HTTP server in front of Next (server/front.ts) and the server actions share about one POST to a
 * page: whether an action accepted its arguments (lib/server-action.ts). React decodes an action's arguments
 * from the request body before any of our code runs, and a body it cannot decode (bad JSON, a broken multipart
 * body, a reference to a part that is not there) — or arguments of the wrong type — make Next answer 500. A
 * request whose arguments no action accepted is the client's mistake: the server answers 400 instead.
 *
 * One store per process, kept on globalThis: the server imports this file directly and the app's bundle has a
 * copy of its own, and both must see the same store.
 */
export type ActionRequest = { accepted: boolean };

const KEY = Symbol.for("statement-console.action-request");

export function actionRequests(): AsyncLocalStorage<ActionRequest> {
  const holder = globalThis as { [KEY]?: AsyncLocalStorage<ActionRequest> };
  return (holder[KEY] ??= new AsyncLocalStorage<ActionRequest>());
}
