import "server-only";
import { db } from "@/lib/db";
import { chainOf, GENESIS_HASH, hashEvent } from "./chain";

export type ChainBreak = {
  eventId: string;
  seq: number;
  reason: "hash_mismatch" | "prev_hash_mismatch" | "gap";
};
export type ChainVerification =
  { ok: true; checked: number } | { ok: false; checked: number; brokenAt: ChainBreak };

const BATCH = 1000;

/**
 * Walks one chain in order, in batches (constant memory), recomputing every hash and checking every link.
 * Reports the first event where the chain breaks.
 */
export async function verifyAuditChain(organizationId: string | null): Promise<ChainVerification> {
  const chain = chainOf(organizationId);
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { chain, seq: { gte: expectedSeq } },
      orderBy: { seq: "asc" },
      take: BATCH,
    });
    for (const row of rows) {
      const at = { eventId: row.id, seq: row.seq };
      if (row.seq !== expectedSeq) return { ok: false, checked, brokenAt: { ...at, reason: "gap" } };
      if (row.prevHash !== prevHash)
        return { ok: false, checked, brokenAt: { ...at, reason: "prev_hash_mismatch" } };
      if (hashEvent(row) !== row.hash)
        return { ok: false, checked, brokenAt: { ...at, reason: "hash_mismatch" } };
      prevHash = row.hash;
      expectedSeq++;
      checked++;
    }
    if (rows.length < BATCH) return { ok: true, checked };
  }
}
