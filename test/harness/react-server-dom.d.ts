// React's own reply encoder, as Next bundles it: the test encodes server-action arguments exactly as the
// browser does.
declare module "next/dist/compiled/react-server-dom-webpack/client.node" {
  export function encodeReply(value: unknown): Promise<string | FormData>;
}
