import { readFileSync } from "node:fs";
import { encodeReply } from "next/dist/compiled/react-server-dom-webpack/client.node";
import type { HttpSession } from "./http";

type Manifest = { node: Record<string, { exportedName: string }> };

/** A server action's id in the build the app runs (`.next`), by the name its module exports. */
export function actionId(name: string): string {
  const manifest = JSON.parse(
    readFileSync(".next/server/server-reference-manifest.json", "utf8"),
  ) as Manifest;
  const entry = Object.entries(manifest.node).find(([, a]) => a.exportedName === name);
  if (!entry) throw new Error(`${name} is not in the build's manifest`);
  return entry[0];
}

/**
 * Calls a server action as React does: its arguments encoded, POSTed to `page` with its id and this site's
 * Origin. `headers` add to or replace those; a header set to `null` is not sent.
 */
export async function callAction(
  http: HttpSession,
  page: string,
  name: string,
  args: unknown[],
  headers: Record<string, string | null> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const body = await encodeReply(args);
  const sent: Record<string, string | null> = {
    "next-action": actionId(name),
    origin: http.baseUrl,
    accept: "text/x-component",
    ...(typeof body === "string" && { "content-type": "text/plain;charset=UTF-8" }),
    ...headers,
  };
  const res = await http.fetch(page, {
    method: "POST",
    headers: Object.entries(sent).filter((h): h is [string, string] => h[1] !== null),
    body: body as BodyInit,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
