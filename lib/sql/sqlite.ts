import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { runSync, type SqlExecutor, type Statement, type Step, step } from "./statement";

/**
 * Statements on SQLite through better-sqlite3: its own connection, each statement prepared once, transactions
 * that run synchronously and so never span an `await`. Its busy timeout is zero and a locked database is
 * retried asynchronously, so a Prisma transaction in this same process (which holds the lock across awaits)
 * is never starved by a thread blocked waiting for it.
 */
export function sqliteExecutor(file: string): SqlExecutor {
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 0");
  // The token table and its indexes grow by every token: keep their hot pages in this connection's cache
  // (SQLite's default is 2 MiB) rather than reading them back from the OS on every insert.
  sqlite.pragma("cache_size = -65536");
  // Checkpoints run on a thread of their own (see startCheckpointer), not inside this connection's commits.
  sqlite.pragma("wal_autocheckpoint = 0");
  const checkpointer = startCheckpointer(file);
  const dataVersion = sqlite.prepare("PRAGMA data_version").pluck();

  const prepared = new Map<
    Statement<object, unknown>,
    { run: Database.Statement; calls: (a: object) => unknown[][] } | null
  >();
  const execute = ({ statement, args, returns }: Step): unknown => {
    let entry = prepared.get(statement);
    if (entry === undefined) {
      const compiled = statement.for("sqlite");
      entry = compiled && { run: sqlite.prepare(compiled.sql), calls: compiled.calls };
      prepared.set(statement, entry);
    }
    if (!entry) return undefined;
    const calls = entry.calls(args);
    if (calls.length === 1) {
      const values = calls[0]!;
      if (returns === "row") return entry.run.get(...values);
      if (returns === "rows") return entry.run.all(...values);
      entry.run.run(...values);
      return undefined;
    }
    if (returns === "nothing") {
      for (const values of calls) entry.run.run(...values);
      return undefined;
    }
    const rows = calls.flatMap((values) => entry.run.all(...values));
    return returns === "row" ? rows[0] : rows;
  };

  return {
    dialect: "sqlite",
    get: <A extends object, R>(statement: Statement<A, R>, args: A) =>
      whenUnlocked(() => execute(step(statement, args, "row")) as R | undefined),
    all: <A extends object, R>(statement: Statement<A, R>, args: A) =>
      whenUnlocked(() => (execute(step(statement, args, "rows")) as R[] | undefined) ?? []),
    run: async <A extends object>(statement: Statement<A, void>, args: A) =>
      void (await whenUnlocked(() => execute(step(statement, args, "nothing")))),
    transaction: (program) =>
      whenUnlocked(() => sqlite.transaction(() => runSync(program(), execute)).immediate()),
    othersCommits: () => dataVersion.get() as number,
    async close() {
      await checkpointer.terminate();
      sqlite.close();
    },
  };
}

const CHECKPOINT_EVERY_MS = 200;

/**
 * A checkpoint copies the write-ahead log back into the database file and syncs both to disk. SQLite runs one
 * inside whichever commit takes the log past 1,000 pages, so on the hot path it ran on the event loop, which
 * then waited on the disk: measured on the token inserts, it was a third of their cost (docs/performance.md).
 * Here a worker thread with its own connection checkpoints every CHECKPOINT_EVERY_MS, PASSIVE (it never waits
 * for, or blocks, a reader or writer; a busy or empty log is simply tried again next time). Durability is
 * unchanged: a commit is in the log before it is acknowledged, whether or not it has been checkpointed.
 * The thread never keeps the process alive. better-sqlite3 resolves from the working directory (the app's).
 */
function startCheckpointer(file: string): Worker {
  const worker = new Worker(
    `const { workerData } = require("node:worker_threads");
     const db = new (require("better-sqlite3"))(workerData.file);
     setInterval(() => { try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {} }, workerData.every);`,
    { eval: true, workerData: { file, every: CHECKPOINT_EVERY_MS } },
  );
  worker.on("error", (error) => console.error("[sqlite] the checkpoint thread failed:", error));
  worker.unref();
  return worker;
}

const RETRY_FOR_MS = 10_000;

const isBusy = (error: unknown) => /^SQLITE_BUSY/.test(String((error as { code?: string }).code));

/**
 * Runs a statement, retrying on a locked database without blocking the event loop. The first try is made
 * synchronously (one promise, no async frame, on the path every token takes); only a locked database waits.
 */
function whenUnlocked<T>(write: () => T): Promise<T> {
  try {
    return Promise.resolve(write());
  } catch (error) {
    if (!isBusy(error)) return Promise.reject(error);
    return retryWhenUnlocked(write);
  }
}

async function retryWhenUnlocked<T>(write: () => T): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(20, attempt) * Math.random()));
    try {
      return write();
    } catch (error) {
      if (!isBusy(error) || Date.now() - started > RETRY_FOR_MS) throw error;
    }
  }
}
