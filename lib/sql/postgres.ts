import pg from "pg";
import { runAsync, type SqlExecutor, type Statement, type Step, step } from "./statement";

/**
 * Statements on PostgreSQL through a small pool, each a named (server-side prepared) statement. Prisma maps
 * DateTime to `timestamp(3)` without time zone holding UTC, so dates are bound as UTC ISO strings.
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

  return {
    dialect: "postgresql",
    get: async <A extends object, R>(statement: Statement<A, R>, args: A) =>
      (await execute(pool, step(statement, args, "row"))) as R | undefined,
    all: async <A extends object, R>(statement: Statement<A, R>, args: A) =>
      ((await execute(pool, step(statement, args, "rows"))) as R[] | undefined) ?? [],
    run: async <A extends object>(statement: Statement<A, void>, args: A) =>
      void (await execute(pool, step(statement, args, "nothing"))),
    async transaction(program) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await runAsync(program(), (next) => execute(client, next));
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
