import { createServer, request, type Agent } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, expect, it } from "vitest";
import { consoleAgent } from "./console-agent";

// A server that closes idle connections after 2 s, as the console does after 5 s.
const server = createServer((_req, res) => res.end("ok"));
server.keepAliveTimeout = 2_000;
let connections = 0;
server.on("connection", () => connections++);
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;
afterAll(() => new Promise((resolve) => server.close(resolve)));

const get = (agent: Agent) =>
  new Promise<void>((resolve, reject) =>
    request({ host: "127.0.0.1", port, agent }, (res) => res.resume().once("end", resolve))
      .once("error", reject)
      .end(),
  );

it("closes an idle connection before the console would, never sending on one it is closing", async () => {
  const agent = consoleAgent();
  try {
    await get(agent);
    await get(agent);
    expect(connections).toBe(1); // kept alive between requests in quick succession
    // Past the server's hint less a second, before its own timeout: the agent has closed the connection.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await get(agent);
    expect(connections).toBe(2);
  } finally {
    agent.destroy();
  }
});
