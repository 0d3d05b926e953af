import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";

/** lib/env.ts reads process.env when it loads: each case loads it afresh. */
async function loadEnv(DATABASE_URL: string) {
  vi.resetModules();
  vi.stubEnv("DATABASE_URL", DATABASE_URL);
  vi.stubEnv("DATA_DIR", mkdtempSync(path.join(tmpdir(), "sc-env-")));
  try {
    return await import("./env");
  } finally {
    vi.unstubAllEnvs();
  }
}

describe("DATABASE_URL", () => {
  it("selects SQLite for file: and PostgreSQL for postgresql:// or postgres://", async () => {
    const { databaseProvider, env } = await loadEnv("postgres://app:secret@db.internal:5432/console");
    expect(env.DATABASE_URL).toBe("postgres://app:secret@db.internal:5432/console");
    expect(databaseProvider("file:./data/app.db")).toBe("sqlite");
    expect(databaseProvider("postgresql://db/console")).toBe("postgresql");
    expect(databaseProvider("postgres://db/console")).toBe("postgresql");
  });

  it("refuses anything else, naming both forms", async () => {
    await expect(loadEnv("mysql://db/console")).rejects.toThrow(/file:<path> \(SQLite\) or postgresql:/);
    await expect(loadEnv("postgresql://")).rejects.toThrow(/DATABASE_URL/);
    await expect(loadEnv("postgresql://a b@/x")).rejects.toThrow(/not a valid postgresql:\/\/ URL/);
  });
});
