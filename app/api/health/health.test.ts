import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";

describe("/api/health", () => {
  it("answers 200 without a session when the database answers, never cached", async () => {
    const res = await fetch(`${inject("baseUrl")}/api/health`, { redirect: "manual" });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(await res.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("answers 503 when the database is unreachable", async () => {
    // The route in this process, on a database nobody listens on (port 9 on loopback refuses at once).
    process.env.DATABASE_URL = "postgresql://nobody@127.0.0.1:9/nothing";
    process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), "sc-health-"));
    const { GET } = await import("./route");
    const res = await GET();
    expect(res.status).toBe(503);
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(await res.json()).toEqual({ status: "error", database: "unreachable" });
  });
});
