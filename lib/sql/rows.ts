import { sql, type RawBuilder } from "kysely";
import { Statement, type Dialect } from "./statement";
import type { Tables } from "./tables";

/**
 * Many rows in one statement: the rows are bound as one JSON array (lib/sql/statement.ts converts their values
 * as it converts any argument) and read back as a table, with `json_populate_recordset` on PostgreSQL (typed by
 * the table's own row type) and `json_each` on SQLite. A batch of a hundred rows is one round trip and one
 * plan on PostgreSQL, where each statement is a round trip to the server. The rows go in the array's order.
 */
export function insertRows<T extends keyof Tables, C extends keyof Tables[T] & string, R = void>(
  name: string,
  table: T,
  columns: readonly C[],
  /** What follows the SELECT: an ON CONFLICT clause, a RETURNING list (written for both dialects). */
  tail: RawBuilder<unknown> = sql``,
): Statement<{ rows: Pick<Tables[T], C>[] }, R> {
  const into = sql`INSERT INTO ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})`;
  return new Statement(name, {
    postgresql: (_db, p) =>
      sql`${into} SELECT ${sql.join(columns.map((c) => sql.ref(`j.${c}`)))}
        FROM json_populate_recordset(NULL::${sql.table(table)}, ${p.rows}::json) AS j ${tail}`,
    // `WHERE true`: SQLite's grammar needs it between an INSERT's SELECT and an ON CONFLICT clause.
    sqlite: (_db, p) =>
      sql`${into} SELECT ${sql.join(columns.map((c) => sql`j.value ->> ${sql.raw(`'$.${c}'`)}`))}
        FROM json_each(${p.rows}) AS j WHERE true ${tail}`,
  });
}

/**
 * The keys of a batch of reads as a one-column table, for `WHERE column IN (…)`: bound as one JSON array, so one
 * statement (one text, one plan, one round trip) serves any number of keys.
 */
export const keysIn = (dialect: Dialect, keys: unknown) =>
  dialect === "postgresql"
    ? sql<string>`(SELECT json_array_elements_text(${keys}::json))`
    : sql<string>`(SELECT value FROM json_each(${keys}))`;
