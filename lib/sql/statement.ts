import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseIntrospector,
  type DialectAdapter,
  type QueryCompiler,
} from "kysely";
import { storableText } from "@/lib/text";
import type { Tables } from "./tables";

/**
 * SQL written once for SQLite and PostgreSQL. A statement is built with Kysely's query builder and compiled for
 * each dialect once, on first use, with named placeholders; each call binds its arguments to them. Nothing
 * here talks to a database: the executors (lib/sql/sqlite.ts, lib/sql/postgres.ts, and Prisma's transaction
 * client in lib/audit/record.ts) run the compiled text with their own driver.
 */
export type Dialect = "sqlite" | "postgresql";

function builder(
  adapter: DialectAdapter,
  compiler: QueryCompiler,
  introspector: (db: Kysely<unknown>) => DatabaseIntrospector,
) {
  return new Kysely<Tables>({
    dialect: {
      createAdapter: () => adapter,
      createDriver: () => new DummyDriver(),
      createIntrospector: introspector,
      createQueryCompiler: () => compiler,
    },
  });
}

const builders: Record<Dialect, Kysely<Tables>> = {
  sqlite: builder(new SqliteAdapter(), new SqliteQueryCompiler(), (db) => new SqliteIntrospector(db)),
  postgresql: builder(
    new PostgresAdapter(),
    new PostgresQueryCompiler(),
    (db) => new PostgresIntrospector(db),
  ),
};

/** A named placeholder, compiled into the text as `?` or `$n` and bound from the call's arguments. */
class Placeholder {
  constructor(readonly name: string) {}
}

type Build<A> = (
  db: Kysely<Tables>,
  args: A,
  dialect: Dialect,
) => { compile(db: Kysely<Tables>): CompiledQuery };

type Compiled = {
  sql: string;
  /** The values of each call a step makes: one call, or (a statement run row by row) one per row. */
  calls: (args: object) => unknown[][];
};

/** One SQL statement: its arguments `A` and the row `R` it returns (`void` when it returns none). */
export class Statement<A extends object, R = void> {
  declare readonly row: R;
  private readonly compiled = new Map<Dialect, Compiled | null>();

  constructor(
    /** Unique: PostgreSQL keeps the statement prepared on each connection under this name. */
    readonly name: string,
    private readonly build: Build<A> | Partial<Record<Dialect, Build<A>>>,
    /**
     * Dialects where the statement is written for one row of `args.rows` and run once per row (lib/sql/rows.ts:
     * on SQLite a call is a function call, cheaper row by row than reading the rows back out of JSON).
     */
    private readonly perRow: readonly Dialect[] = [],
  ) {}

  /** The text for `dialect` and how to bind a call's arguments to it; null where it has nothing to do. */
  for(dialect: Dialect): Compiled | null {
    if (!this.compiled.has(dialect)) this.compiled.set(dialect, this.compile(dialect));
    return this.compiled.get(dialect)!;
  }

  private compile(dialect: Dialect): Compiled | null {
    const build = typeof this.build === "function" ? this.build : this.build[dialect];
    if (!build) return null;
    const db = builders[dialect];
    const placeholders = new Proxy({}, { get: (_, name) => new Placeholder(String(name)) }) as A;
    const { sql, parameters } = build(db, placeholders, dialect).compile(db);
    const bind = dialect === "sqlite" ? sqliteValue : postgresValue;
    const slots = parameters.map((p) =>
      p instanceof Placeholder ? (args: object) => (args as Record<string, unknown>)[p.name] : () => p,
    );
    const values = (args: object) => slots.map((slot) => bind(slot(args)));
    return {
      sql,
      calls: this.perRow.includes(dialect)
        ? (args) => (args as { rows: object[] }).rows.map(values)
        : (args) => [values(args)],
    };
  }
}

// What each driver is given for a value: strings any database can hold, booleans and dates as Prisma stores them.
// An array of rows (lib/sql/rows.ts) is given as one JSON text, its values converted alike.
const sqliteScalar = (v: unknown) =>
  typeof v === "string" ? storableText(v) : v instanceof Date ? sqliteDate(v) : v;
const postgresScalar = (v: unknown) =>
  typeof v === "string" ? storableText(v) : v instanceof Date ? v.toISOString() : v;
const sqliteValue = (v: unknown) =>
  Array.isArray(v) ? jsonRows(v, sqliteScalar) : typeof v === "boolean" ? Number(v) : sqliteScalar(v);
const postgresValue = (v: unknown) => (Array.isArray(v) ? jsonRows(v, postgresScalar) : postgresScalar(v));
const jsonRows = (rows: object[], scalar: (v: unknown) => unknown) =>
  // `this[key]` is the value before JSON.stringify turns a Date into its own text.
  JSON.stringify(rows, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    return raw !== null && typeof raw === "object" && !(raw instanceof Date) ? value : scalar(raw);
  });

/** How Prisma's SQLite adapter stores a DateTime (so Prisma reads back what is written here). */
export const sqliteDate = (d: Date) => d.toISOString().replace("Z", "+00:00");

// ── Programs: several statements that must run in one transaction, written once for every executor ──────

/** What a step wants back: nothing, its first row, or every row. */
export type Returns = "nothing" | "row" | "rows";

/** One statement to run, and what of its result is wanted back. */
export type Step = { statement: Statement<object, unknown>; args: object; returns: Returns };

/**
 * A sequence of statements as a generator: it yields each step and is resumed with the step's row. The same
 * program runs synchronously inside a better-sqlite3 transaction and asynchronously on a PostgreSQL or Prisma
 * transaction (`runSync`, `runAsync`), so what a transaction does is written once.
 */
export type Program<T> = Generator<Step, T, unknown>;

/** A step of `statement` with `args` (its types checked here, erased in `Step`). */
export const step = <A extends object, R>(statement: Statement<A, R>, args: A, returns: Returns): Step =>
  ({ statement, args, returns }) as unknown as Step;

export function* get<A extends object, R>(statement: Statement<A, R>, args: A): Program<R | undefined> {
  return (yield step(statement, args, "row")) as R | undefined;
}

export function* all<A extends object, R>(statement: Statement<A, R>, args: A): Program<R[]> {
  return ((yield step(statement, args, "rows")) as R[] | undefined) ?? [];
}

export function* run<A extends object>(statement: Statement<A, void>, args: A): Program<void> {
  yield step(statement, args, "nothing");
}

export function runSync<T>(program: Program<T>, execute: (step: Step) => unknown): T {
  for (let next = program.next(); ;) {
    if (next.done) return next.value;
    next = program.next(execute(next.value));
  }
}

export async function runAsync<T>(
  program: Program<T>,
  execute: (step: Step) => Promise<unknown>,
): Promise<T> {
  for (let next = program.next(); ;) {
    if (next.done) return next.value;
    next = program.next(await execute(next.value));
  }
}

/** What runs statements on one database: the hot path's store is written against this, once. */
export interface SqlExecutor {
  readonly dialect: Dialect;
  /** One statement on its own (its own transaction), and its first row. */
  get<A extends object, R>(statement: Statement<A, R>, args: A): Promise<R | undefined>;
  /** One statement on its own, and all its rows. */
  all<A extends object, R>(statement: Statement<A, R>, args: A): Promise<R[]>;
  /** One statement on its own that returns no rows. */
  run<A extends object>(statement: Statement<A, void>, args: A): Promise<void>;
  /**
   * A program in one transaction: everything it wrote commits, or nothing does. `program` may be run again. Its
   * consecutive writes may be sent as one statement (PostgreSQL, lib/sql/postgres.ts): two writes with no read
   * between them must not write the same row.
   */
  transaction<T>(program: () => Program<T>): Promise<T>;
  /**
   * A number that changes whenever another connection commits to the database (SQLite's data_version), or null
   * where one connection cannot tell (PostgreSQL, a pool). While it is unchanged, what this executor read is
   * still what the database holds, save for what it wrote itself.
   */
  othersCommits(): number | null;
  close(): Promise<void>;
}
