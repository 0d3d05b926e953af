import "server-only";
import { db, dbProvider, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { runAsync, type Program } from "@/lib/sql/statement";
import { appendAuditEvent } from "./append";
import type { AuditContext, AuditEntry } from "./event";

export type { AuditActor, AuditContext, AuditEntry, RequestMeta } from "./event";

const MAX_ATTEMPTS = 25;

/** Runs a program of statements on Prisma's transaction client: the dashboard's executor for the appender. */
export function onPrismaTransaction<T>(tx: Tx, program: Program<T>): Promise<T> {
  return runAsync(program, async ({ statement, args, returns }) => {
    const compiled = statement.for(dbProvider);
    if (!compiled) return undefined;
    const rows: unknown[] = [];
    for (const values of compiled.calls(args)) {
      if (returns === "nothing") await tx.$executeRawUnsafe(compiled.sql, ...values);
      else rows.push(...((await tx.$queryRawUnsafe(compiled.sql, ...values)) as unknown[]));
    }
    return returns === "rows" ? rows : rows[0];
  });
}

export type Audit = (entry: AuditEntry) => Promise<void>;

/**
 * Runs `change` in one transaction together with the audit events it records: both commit or neither does.
 * This is how every mutation is made. Two writers that read the same chain head collide on the unique
 * (chain, seq) key; the loser's whole transaction is retried, so a chain never forks.
 */
export async function withAudit<T>(
  ctx: AuditContext,
  change: (tx: Tx, audit: Audit) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((tx) =>
        change(tx, async (entry) => void (await onPrismaTransaction(tx, appendAuditEvent(ctx, entry)))),
      );
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isChainContention(error)) throw error;
      // Exponential backoff with full jitter: SQLite's snapshot conflicts fail at once rather than wait for
      // the busy timeout, so contending processes must spread out to let each other commit.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 4 * 2 ** attempt)));
    }
  }
}

/** A write that lost a race for the chain head (or for the database lock) and may simply be retried. */
function isChainContention(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") {
      const target = String((error.meta as { target?: unknown } | undefined)?.target ?? "");
      return target.includes("chain") || target.includes("seq") || target === "";
    }
    if (error.code === "P2034" || error.code === "P1008" || error.code.startsWith("SQLITE_BUSY")) return true;
    // No connection free in time, or the transaction outlived its timeout waiting for the chain: it was rolled
    // back, so it can be made again (a burst on one chain queues on the PostgreSQL lock above).
    if (error.code === "P2028") return true;
  }
  // PostgreSQL: serialization failure (40001), deadlock (40P01), or a (chain, seq) unique violation (23505)
  // reported through the driver adapter rather than as P2002.
  const pgCode = postgresCode(error);
  if (pgCode === "40001" || pgCode === "40P01") return true;
  if (pgCode === "23505") return /AuditEvent_chain_seq_key|chain|seq/.test(String((error as Error)?.message));
  // Or, from the appender's raw insert, the same (chain, seq) collision in the driver's own words.
  return /SQLITE_BUSY|database is locked|could not serialize access|deadlock detected|UNIQUE constraint failed: AuditEvent\.chain|AuditEvent_chain_seq_key/i.test(
    String((error as Error)?.message),
  );
}

/** The SQLSTATE of a PostgreSQL error, wherever the driver adapter put it. */
function postgresCode(error: unknown): string | undefined {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 5; depth++) {
    const meta = e.meta as Record<string, unknown> | undefined;
    const candidates = [
      e.code,
      e.originalCode,
      meta?.code,
      (meta?.driverAdapterError as { cause?: { originalCode?: unknown } })?.cause?.originalCode,
    ];
    for (const c of candidates) if (typeof c === "string" && /^[0-9][0-9A-Z]{4}$/.test(c)) return c;
    e = e.cause as Record<string, unknown> | undefined;
  }
  return undefined;
}
