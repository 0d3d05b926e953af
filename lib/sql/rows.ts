import { sql, type RawBuilder } from "kysely";
import { Statement, type Dialect } from "./statement";
import type { Tables } from "./tables";

/**
 * Many rows in one statement on PostgreSQL: the rows are bound as one JSON array (lib/sql/statement.ts converts
 * their values as it converts any argument) and read back as a table with `json_populate_recordset` (typed by
 * the table's own row type), so a batch of a hundred rows is one round trip and one plan, in the array's
 * order. On SQLite, where each statement is a call into the same process, the same statement is written for
 * one row and run once per row (reading each column back out of JSON costs more there than the calls).
 */
export function insertRows<T extends keyof Tables, C extends keyof Tables[T] & string, R = void>(
  name: string,
  table: T,
  columns: readonly C[],
  /** What follows the rows: an ON CONFLICT clause, a RETURNING list (written for both dialects). */
  tail: RawBuilder<unknown> = sql``,
): Statement<{ rows: Pick<Tables[T], C>[] }, R> {
  const into = sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})`;
  return new Statement(
    name,
    {
      postgresql: (_db, p) =>
        sql`${into} SELECT ${sql.join(columns.map((c) => sql.ref(`j.${c}`)))}
          FROM json_populate_recordset(NULL::${sql.table(table)}, ${p.rows}::json) AS j ${tail}`,
      // Built over one row's placeholders: run once per row of `rows`.
      sqlite: (_db, p) => {
        const row = p as unknown as Record<C, unknown>;
        return sql`${into} VALUES (${sql.join(columns.map((c) => row[c]))}) ${tail}`;
      },
    },
    ["sqlite"],
  );
}

/**
 * `column` is one of a batch of reads' keys: the keys bound as one JSON array, so one statement (one text, one
 * plan, one round trip) serves any number of keys. On PostgreSQL as `= ANY(ARRAY(…))`, which the planner
 * estimates as a few keys and looks up in the column's index; `IN (SELECT json_array_elements_text(…))`
 * counts as a hundred, and on a small table its plan was a scan and four hash joins (a read of one client:
 * 274 → 157 µs a round trip, docs/performance.md).
 */
export const keyIn = (dialect: Dialect, column: string, keys: unknown) =>
  dialect === "postgresql"
    ? sql<boolean>`${sql.ref(column)} = ANY(ARRAY(SELECT json_array_elements_text(${keys}::json)))`
    : sql<boolean>`${sql.ref(column)} IN (SELECT value FROM json_each(${keys}))`;
