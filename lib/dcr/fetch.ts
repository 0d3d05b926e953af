import type { ClientRequest, ClientResponse } from "./exchange";
import type { ClientHandler } from "./handlers";

/**
 * The client-facing handlers on the Fetch API, for Next's route files (`next dev`, and the GET endpoints that
 * only Next serves). Production serves the POST endpoints from node:http directly (server/hot-path.ts).
 */
export function fetchRequest(request: Request): ClientRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    target: url.pathname + url.search,
    header: (name) => request.headers.get(name),
    async body(limit) {
      if (!request.body) return Buffer.alloc(0);
      const reader = request.body.getReader();
      const chunks: Uint8Array[] = [];
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return Buffer.concat(chunks);
        size += value.byteLength;
        if (size > limit) {
          await reader.cancel();
          return null;
        }
        chunks.push(value);
      }
    },
  };
}

/** A Response: 204 and 304 carry no body at all (the Fetch API refuses even an empty one). */
export const fetchResponse = ({ status, headers, body }: ClientResponse) =>
  new Response(status === 204 || status === 304 ? null : body, { status, headers });

/** A route file's handler from a client-facing one. */
export const onFetch = (handler: ClientHandler) => async (request: Request) =>
  fetchResponse(await handler(fetchRequest(request)));
