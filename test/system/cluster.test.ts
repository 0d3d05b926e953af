import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";
import { startInstance } from "@/test/harness/instance";
import { openSql } from "@/test/harness/server-sql";

/**
 * WEB_CONCURRENCY=2: two node:cluster workers share the port and the database. Clients registered through
 * either get tokens through either, throttle off; on SIGTERM both drain and exit.
 */
it("serves from two workers on one port, and both drain on SIGTERM", async () => {
  freshTestDatabase(); // migrated and empty: the app seeds it on start
  const url = process.env.DATABASE_URL!;
  const server = await startInstance({
    DATA_DIR: mkdtempSync(path.join(tmpdir(), "sc-cluster-")),
    DATABASE_URL: url,
    SEED_PASSWORD: "cluster-test-password",
    DCR_THROTTLE: "off",
    WEB_CONCURRENCY: "2",
  });
  const { baseUrl } = server;
  try {
    expect(server.log()).toContain("Starting 2 workers");
    const sql = await openSql(url);
    const { jwt } = (await sql.get<{ jwt: string }>(
      `SELECT "jwt" FROM "SoftwareStatement" WHERE "status" = 'ACTIVE' ORDER BY "createdAt" LIMIT 1`,
    ))!;
    await sql.close();

    // Fresh connections each time, so the primary hands them to both workers.
    const results = await Promise.all(
      Array.from({ length: 24 }, async () => {
        const registered = await fetch(`${baseUrl}/o/client/register`, {
          method: "POST",
          headers: { "content-type": "application/json", connection: "close" },
          body: JSON.stringify({ software_statement: jwt }),
        });
        const client = (await registered.json()) as { client_id: string; client_secret: string };
        const token = await fetch(`${baseUrl}/o/client/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", connection: "close" },
          body: new URLSearchParams({ grant_type: "client_credentials", ...client }),
        });
        return [registered.status, token.status];
      }),
    );
    expect(results).toEqual(Array(24).fill([201, 201]));
  } finally {
    await server.stop();
  }
  // Both workers drained on the signal, and nothing needed the SIGKILL that stop() sends after 15 s.
  expect(server.log().match(/SIGTERM: finishing open requests/g)).toHaveLength(2);
  expect(server.child.signalCode, server.log()).not.toBe("SIGKILL");
}, 300_000);
