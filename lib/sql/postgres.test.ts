import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";
import { postgresExecutor } from "./postgres";
import { all, get, run, Statement, type SqlExecutor } from "./statement";

/**
 * PostgreSQL's executor sends a transaction's consecutive writes as one statement, and a program that only writes
 * as one statement with no BEGIN and COMMIT (lib/sql/postgres.ts). One statement is seen here through
 * `statement_timestamp()`, which is the same for every part of one statement and differs between two.
 */
freshTestDatabase();
const { env } = await import("@/lib/env");
const onPostgres = env.DATABASE_URL.startsWith("postgres");

type Row = { k: string; at: string };
const insert = new Statement<{ k: string }>("test_together_insert", {
  postgresql: (_db, p) => sql`INSERT INTO together_test (k, at) VALUES (${p.k}, statement_timestamp()::text)`,
});
const insertReturning = new Statement<{ k: string }, Row>("test_together_insert_returning", {
  postgresql: (_db, p) =>
    sql`INSERT INTO together_test (k, at) VALUES (${p.k}, statement_timestamp()::text) RETURNING k, at`,
});
const count = new Statement<{ k: string }, { n: number }>("test_together_count", {
  postgresql: (_db, p) => sql`SELECT COUNT(*)::int AS n FROM together_test WHERE k = ${p.k}`,
});
const rows = new Statement<{ prefix: string }, Row>("test_together_rows", {
  postgresql: (_db, p) => sql`SELECT k, at FROM together_test WHERE k LIKE ${p.prefix} || '%' ORDER BY k`,
});

describe.skipIf(!onPostgres)("PostgreSQL's executor", () => {
  let db: SqlExecutor;
  beforeAll(async () => {
    db = postgresExecutor(env.DATABASE_URL, 2);
    const create = new Statement<object>("test_together_create", {
      postgresql: () => sql`CREATE TABLE together_test (k text PRIMARY KEY, at text NOT NULL)`,
    });
    await db.run(create, {});
  });
  afterAll(() => db.close());
  const stored = (prefix: string) => db.all(rows, { prefix });

  it("runs a program that only writes as one statement, each part with its own arguments", async () => {
    await db.transaction(function* () {
      yield* run(insert, { k: "a1" });
      yield* run(insert, { k: "a2" });
      yield* run(insert, { k: "a3" });
    });
    const written = await stored("a");
    expect(written.map((r) => r.k)).toEqual(["a1", "a2", "a3"]);
    expect(new Set(written.map((r) => r.at)).size).toBe(1);
  });

  it("keeps such a program atomic: one failing part leaves nothing written", async () => {
    await expect(
      db.transaction(function* () {
        yield* run(insert, { k: "b1" });
        yield* run(insert, { k: "b2" });
        yield* run(insert, { k: "b1" });
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await stored("b")).toEqual([]);
  });

  it("runs the writes before a read first, and a write that returns rows with the writes before it", async () => {
    const seen = await db.transaction(function* () {
      yield* run(insert, { k: "c1" });
      const before = (yield* get(count, { k: "c1" }))!.n;
      yield* run(insert, { k: "c2" });
      const returned = yield* all(insertReturning, { k: "c3" });
      return { before, returned };
    });
    expect(seen.before).toBe(1);
    expect(seen.returned.map((r) => r.k)).toEqual(["c3"]);
    const [c1, c2, c3] = await stored("c");
    expect(c2!.at).toBe(c3!.at);
    expect(c1!.at).not.toBe(c2!.at);
  });

  it("rolls the whole transaction back when a part fails after a read", async () => {
    await expect(
      db.transaction(function* () {
        yield* run(insert, { k: "d1" });
        yield* get(count, { k: "d1" });
        yield* run(insert, { k: "d2" });
        yield* run(insert, { k: "d1" });
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await stored("d")).toEqual([]);
  });
});
