import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, healthy, spawnServer, waitUntil } from "@/test/harness/child-server";

/**
 * `npm start` as a person or a process manager runs it: npm is the process they signal. SIGTERM to npm alone
 * (not its process group) must stop the server and the console's process, leaving nothing on the port; and
 * start-up prints no Prisma warning.
 */
describe("npm start", () => {
  it("stops the server when npm alone is sent SIGTERM, and starts without Prisma warnings", async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), "sc-npm-start-"));
    const server = spawnServer("npm", ["start"], {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: `file:${path.join(dataDir, "app.db")}`,
      SEED_PASSWORD: "npm-start-test",
      NEXT_TELEMETRY_DISABLED: "1",
    });
    const baseUrl = `http://localhost:${port}`;
    try {
      await waitUntil(healthy(baseUrl), server, "npm start", 240_000);
      expect(server.log()).not.toMatch(/datasource properties|WARNING: Your schema/);

      const exited = new Promise<void>((resolve) => server.child.once("exit", () => resolve()));
      server.child.kill("SIGTERM");
      await exited;
      const deadline = Date.now() + 15_000;
      let answering = true;
      while (answering && Date.now() < deadline) {
        answering = await fetch(`${baseUrl}/api/health`).then(
          () => true,
          () => false,
        );
        if (answering) await new Promise((r) => setTimeout(r, 250));
      }
      expect(answering, "something still answers on the port after npm exited").toBe(false);
      // Nor does any process of the app outlive it: the console's own process stops after its front.
      let groupLeft = true;
      while (groupLeft && Date.now() < deadline) {
        try {
          process.kill(-server.child.pid!, 0);
          await new Promise((r) => setTimeout(r, 250));
        } catch {
          groupLeft = false;
        }
      }
      expect(groupLeft, "a process of npm's group is still running after npm exited").toBe(false);
    } finally {
      // Whatever was left (an orphan is what this test looks for) is in npm's process group.
      try {
        process.kill(-server.child.pid!, "SIGKILL");
      } catch {
        // Nothing left.
      }
    }
  }, 300_000);
});
