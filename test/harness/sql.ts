import Database from "better-sqlite3";
import pg from "pg";
import { sqliteDate } from "@/lib/sql/statement";

/**
 * Raw SQL on the app's database for tests and checks (test/harness/server-sql.ts, test/system/crash-check.ts), the same on SQLite
 * and PostgreSQL. Write the SQL so it is valid on both: `?` placeholders, every Prisma table and column
 * double-quoted (`"User"."organizationId"`: PostgreSQL folds unquoted names to lower case), lower-case or quoted
 * aliases, booleans and dates as parameters. Results come back alike from both: BOOLEAN columns as booleans,
 * DATETIME columns as Dates, counts as numbers.
 */
export interface Sql {
  readonly dialect: "sqlite" | "postgresql";
  get<T>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, ...params: unknown[]): Promise<number>;
  /**
   * Runs `fn` with the database's append-only guard of "AuditEvent" (its UPDATE/DELETE triggers) switched off,
   * as someone with database access could, and puts the guard back afterwards.
   */
  withoutAuditGuard<R>(fn: () => Promise<R>): Promise<R>;
  close(): Promise<void>;
}

/** A database by its Prisma URL: `file:/path/app.db` or `postgresql://…`. */
export function openSql(url: string): Promise<Sql> {
  if (url.startsWith("file:")) return Promise.resolve(openSqlite(url.slice("file:".length).split("?")[0]!));
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  throw new Error(`Not a SQLite or PostgreSQL URL: ${url}`);
}

function openSqlite(file: string): Sql {
  const db = new Database(file, { fileMustExist: true });
  // The server writes beside the tests: wait for its transactions instead of failing at once.
  db.pragma("busy_timeout = 5000");
  // As @prisma/adapter-better-sqlite3 stores them (its default timestampFormat "iso8601").
  const param = (v: unknown) =>
    typeof v === "boolean" ? (v ? 1 : 0) : v instanceof Date ? sqliteDate(v) : v;
  const read = (sql: string, params: unknown[], one: boolean) => {
    const statement = db.prepare(sql);
    const columns = statement.columns();
    const rows = (
      one ? [statement.get(...params.map(param))].filter(Boolean) : statement.all(...params.map(param))
    ) as Record<string, unknown>[];
    for (const row of rows)
      for (const { name, type } of columns) {
        // The column's declared type, as Prisma's SQLite migrations write it (null for an expression).
        const declared = type?.toUpperCase();
        const value = row[name];
        if (value === null || value === undefined) continue;
        if (declared === "BOOLEAN") row[name] = value === 1;
        else if (declared === "DATETIME") row[name] = fromSqliteDate(value as string | number);
      }
    return rows;
  };
  return {
    dialect: "sqlite",
    get: async <T>(sql: string, ...params: unknown[]) => read(sql, params, true)[0] as T | undefined,
    all: async <T>(sql: string, ...params: unknown[]) => read(sql, params, false) as T[],
    run: async (sql, ...params) => db.prepare(sql).run(...params.map(param)).changes,
    async withoutAuditGuard(fn) {
      const triggers = db
        .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'AuditEvent'`)
        .all() as { name: string; sql: string }[];
      if (!triggers.length) throw new Error("AuditEvent has no append-only triggers to switch off");
      for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);
      try {
        return await fn();
      } finally {
        for (const { sql } of triggers) db.exec(sql);
      }
    },
    close: async () => void db.close(),
  };
}

/** ISO 8601 (what Prisma writes), `YYYY-MM-DD HH:MM:SS` (SQLite's CURRENT_TIMESTAMP, UTC) or epoch ms. */
function fromSqliteDate(value: string | number): Date {
  if (typeof value === "number") return new Date(value);
  return new Date(
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(value) ? value.replace(" ", "T") + "Z" : value,
  );
}

const INT8 = 20;
const TIMESTAMP = 1114;

async function openPostgres(url: string): Promise<Sql> {
  // Prisma's `?schema=` is not a libpq parameter: it becomes the search path.
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema");
  parsed.searchParams.delete("schema");
  const client = new pg.Client({
    connectionString: parsed.toString(),
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") => {
        if (oid === INT8) return (v: string) => Number(v);
        // Prisma keeps DateTime as TIMESTAMP(3) without time zone, in UTC.
        if (oid === TIMESTAMP) return (v: string) => new Date(v.replace(" ", "T") + "Z");
        return pg.types.getTypeParser(oid, format);
      }) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  if (schema) await client.query(`SET search_path TO "${schema.replaceAll('"', '""')}"`);
  // A Date as UTC ISO text: right for TIMESTAMP (the offset is ignored) and TIMESTAMPTZ alike.
  const param = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  const query = (sql: string, params: unknown[]) => client.query(numbered(sql), params.map(param));
  return {
    dialect: "postgresql",
    get: async <T>(sql: string, ...params: unknown[]) => (await query(sql, params)).rows[0] as T | undefined,
    all: async <T>(sql: string, ...params: unknown[]) => (await query(sql, params)).rows as T[],
    run: async (sql, ...params) => (await query(sql, params)).rowCount ?? 0,
    async withoutAuditGuard(fn) {
      // USER: the table's own triggers, not the foreign-key ones (which would need a superuser).
      await client.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`);
      try {
        return await fn();
      } finally {
        await client.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER USER`);
      }
    },
    close: () => client.end(),
  };
}

/** `?` placeholders as `$1…$n`, leaving any `?` inside quotes or comments alone. */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\?/g, (token) =>
    token === "?" ? `$${++n}` : token,
  );
}
