import "server-only";
import { db, type Tx } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { chainOf } from "./chain";
import { nextAuditEvent, type AuditContext, type AuditEntry } from "./event";

export type { AuditActor, AuditContext, AuditEntry, RequestMeta } from "./event";

const MAX_ATTEMPTS = 25;

/** Appends one event to its chain inside `tx`. Use through `withAudit`, which makes the transaction. */
export async function appendAuditEvent(tx: Tx, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  const head = await tx.auditEvent.findFirst({
    where: { chain: chainOf(entry.organizationId) },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
  await tx.auditEvent.create({ data: nextAuditEvent(ctx, entry, head) });
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
      return await db.$transaction((tx) => change(tx, (entry) => appendAuditEvent(tx, ctx, entry)));
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
  }
  return /SQLITE_BUSY|database is locked/i.test(String((error as Error)?.message));
}
