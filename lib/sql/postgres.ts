import pg from "pg";
import { runAsync, type SqlExecutor, type Statement, type Step, step } from "./statement";

/**
 * Statements on PostgreSQL through a small pool, each a named (server-side prepared) statement. Prisma maps
 * DateTime to `timestamp(3)` without time zone holding UTC, so dates are bound as UTC ISO strings.
 *
 * A transaction's consecutive writes are sent as one statement: every round trip costs both processes more than
 * a row does (docs/performance.md). A write that returns nothing waits for the next step: the writes before a
 * step that reads are run first, in one statement (a WITH of data-modifying parts); a write that returns rows
 * closes the statement of the writes before it. A program that only writes is one statement, which commits on
 * its own, with no BEGIN and no COMMIT. The parts of one statement share one snapshot, so they must not write
 * the same row (PostgreSQL refuses a row written twice by one statement) nor read what another part writes: the
 * hot path's programs write new rows and each shared row once (lib/dcr/store).
 */
export function postgresExecutor(url: string, poolSize: number): SqlExecutor {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const execute = async (
    client: pg.Pool | pg.PoolClient,
    { statement, args, returns }: Step,
  ): Promise<unknown> => {
    const compiled = statement.for("postgresql");
    if (!compiled) return undefined;
    const rows: unknown[] = [];
    for (const values of compiled.calls(args)) {
      const result = await client.query({ name: statement.name, text: compiled.sql, values });
      rows.push(...result.rows);
    }
    return returns === "rows" ? rows : rows[0];
  };

  // Several writes as one statement, each combination prepared (on each connection) under a name of its own.
  const combined = new Map<string, { name: string; text: string }>();
  const together = async (client: pg.Pool | pg.PoolClient, steps: Step[]): Promise<unknown> => {
    const parts = steps.flatMap((s) => {
      const compiled = s.statement.for("postgresql");
      return compiled ? [{ step: s, sql: compiled.sql, values: compiled.calls(s.args)[0]! }] : [];
    });
    if (parts.length <= 1) return parts[0] ? execute(client, parts[0].step) : undefined;
    const key = parts.map((p) => p.step.statement.name).join(" ");
    let statement = combined.get(key);
    if (!statement) {
      let offset = 0;
      const texts = parts.map(({ sql, values }) => {
        const shift = offset;
        offset += values.length;
        return sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shift}`);
      });
      const last = texts.pop()!;
      const text = `WITH ${texts.map((t, i) => `w${i} AS (${t})`).join(", ")} ${last}`;
      combined.set(key, (statement = { name: `together_${combined.size}`, text }));
    }
    const result = await client.query({ ...statement, values: parts.flatMap((p) => p.values) });
    return parts.at(-1)!.step.returns === "rows" ? result.rows : result.rows[0];
  };

  return {
    dialect: "postgresql",
    get: async <A extends object, R>(statement: Statement<A, R>, args: A) =>
      (await execute(pool, step(statement, args, "row"))) as R | undefined,
    all: async <A extends object, R>(statement: Statement<A, R>, args: A) =>
      ((await execute(pool, step(statement, args, "rows"))) as R[] | undefined) ?? [],
    run: async <A extends object>(statement: Statement<A, void>, args: A) =>
      void (await execute(pool, step(statement, args, "nothing"))),
    async transaction(program) {
      // Only writes: one statement, its own transaction.
      const writes: Step[] = [];
      const first = program();
      let next = first.next();
      for (; !next.done && waits(next.value); next = first.next()) writes.push(next.value);
      if (next.done) {
        await together(pool, writes);
        return next.value;
      }
      first.return(undefined as never);

      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        let waiting: Step[] = [];
        const result = await runAsync(program(), async (s) => {
          if (waits(s)) return void waiting.push(s);
          const before = waiting;
          waiting = [];
          if (isWrite(s)) return together(client, [...before, s]);
          await together(client, before);
          return execute(client, s);
        });
        await together(client, waiting);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    othersCommits: () => null,
    close: () => pool.end(),
  };
}

/** An INSERT, UPDATE or DELETE: what can be a part of a WITH. */
const isWrite = (s: Step) => /^\s*(insert|update|delete)\b/i.test(s.statement.for("postgresql")?.sql ?? "");
/** A write that returns nothing: it can wait for the steps after it. */
const waits = (s: Step) => s.returns === "nothing" && isWrite(s);
