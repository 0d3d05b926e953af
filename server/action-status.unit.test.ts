import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionRequests } from "../lib/action-request";
import { handleAction, isActionRequest, mayRunAction } from "./action-status";

// Stands in for Next: answers with the status the path names, after accepting the arguments when asked.
async function next(req: IncomingMessage, res: ServerResponse) {
  const [, status, accepted] = (req.url ?? "").split("/");
  await new Promise((resolve) => setTimeout(resolve, 1)); // Next decodes asynchronously
  if (accepted === "accepted") actionRequests().getStore()!.accepted = true;
  res.writeHead(Number(status), { "content-type": "text/plain" });
  res.end("answer");
}

const server = createServer((req, res) => void handleAction(req, res, next));
let base = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = async (path: string) => (await fetch(`${base}${path}`, { method: "POST", body: "x" })).status;

describe("server actions' status (server/action-status.ts)", () => {
  it("answers 400 for a 500 before any action accepted its arguments: the request could not be decoded", async () => {
    expect(await post("/500")).toBe(400);
  });

  it("keeps a 500 once an action accepted its arguments (the failure is ours), and every other status", async () => {
    expect(await post("/500/accepted")).toBe(500);
    expect(await post("/200")).toBe(200);
    expect(await post("/303")).toBe(303);
    expect(await post("/413")).toBe(413);
  });

  it("takes for an action what Next does: a POST to a page with an action id or a form body", () => {
    const req = (method: string, url: string, headers: Record<string, string>) =>
      ({ method, url, headers }) as unknown as IncomingMessage;
    expect(isActionRequest(req("POST", "/statements", { "next-action": "abc" }))).toBe(true);
    expect(
      isActionRequest(req("POST", "/login", { "content-type": "multipart/form-data; boundary=x" })),
    ).toBe(true);
    expect(
      isActionRequest(req("POST", "/login", { "content-type": "application/x-www-form-urlencoded" })),
    ).toBe(true);
    expect(isActionRequest(req("POST", "/api/admin/v1/orgs", { "next-action": "abc" }))).toBe(false);
    expect(isActionRequest(req("GET", "/statements", { "next-action": "abc" }))).toBe(false);
    expect(isActionRequest(req("POST", "/statements", { "content-type": "application/json" }))).toBe(false);
  });

  it("of those, may run an action only with an action id or a multipart form (Next runs no URL-encoded one)", () => {
    const req = (headers: Record<string, string>) =>
      ({ method: "POST", url: "/login", headers }) as unknown as IncomingMessage;
    expect(mayRunAction(req({ "next-action": "abc" }))).toBe(true);
    expect(mayRunAction(req({ "content-type": "multipart/form-data; boundary=x" }))).toBe(true);
    expect(mayRunAction(req({ "content-type": "application/x-www-form-urlencoded" }))).toBe(false);
    expect(mayRunAction(req({ "content-type": "application/json" }))).toBe(false);
  });
});
