import "server-only";
import { db } from "@/lib/db";
import { chainsOf, GENESIS_HASH, hashEvent, laneOf } from "./chain";

export type ChainBreak = {
  chain: string;
  /** The client lane `chain` is, or `null` for the organization's own chain (lib/audit/chain.ts). */
  lane: number | null;
  eventId: string;
  seq: number;
  reason: "hash_mismatch" | "prev_hash_mismatch" | "gap";
};
export type ChainVerification =
  { ok: true; checked: number } | { ok: false; checked: number; brokenAt: ChainBreak };

const BATCH = 1000;

/**
 * Walks every chain of an organization (its own and its client lanes: lib/audit/chain.ts), or the platform's,
 * each in order and in batches (constant memory), recomputing every hash and checking every link. Reports the
 * first event where a chain breaks, and how many events were checked.
 */
export async function verifyAuditChain(organizationId: string | null): Promise<ChainVerification> {
  let checked = 0;
  for (const chain of chainsOf(organizationId)) {
    const verified = await verifyChain(chain);
    checked += verified.checked;
    if (!verified.ok) return { ...verified, checked };
  }
  return { ok: true, checked };
}

async function verifyChain(chain: string): Promise<ChainVerification> {
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
      const at = { chain, lane: laneOf(chain), eventId: row.id, seq: row.seq };
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
