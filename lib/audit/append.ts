import { sql } from "kysely";
import { insertRows } from "@/lib/sql/rows";
import { get, run, Statement, type Program } from "@/lib/sql/statement";
import { chainOf, HASHED_FIELDS } from "./chain";
import {
  nextAuditEvent,
  type AuditContext,
  type AuditEntry,
  type AuditRow,
  type ChainHead,
  type EventStamp,
} from "./event";

/** An event to append: what happened, who did it, and (tests only) a fixed id and time. */
export type Appending = { ctx: AuditContext; entry: AuditEntry; stamp?: EventStamp };

/**
 * The one way events join their chains, whoever writes them: the dashboard's Prisma transactions
 * (lib/audit/record.ts, one event at a time) and the client-facing hot path (lib/dcr/store, a batch of events
 * per commit) run this same program, each on its own connection, inside the transaction of the change it
 * records. Each event is its own link (its seq, the previous hash, its hash), in the order given; a batch costs
 * one lock and one head read per chain, not per event. Chains are locked in the order of their names, so two
 * batches that touch the same chains never wait for each other in a cycle. The hot path gives its batch's
 * `lane` (lib/audit/chain.ts): its events join their organizations' client lanes, not the console's chains.
 */
export function* appendAuditEvents(
  events: readonly Appending[],
  { lane }: { lane?: number } = {},
): Program<AuditRow[]> {
  const byChain = new Map<string, number[]>();
  events.forEach((event, i) => {
    const chain = chainOf(event.entry.organizationId, lane);
    const list = byChain.get(chain);
    if (list) list.push(i);
    else byChain.set(chain, [i]);
  });
  const rows: AuditRow[] = new Array(events.length);
  for (const chain of [...byChain.keys()].sort()) {
    // PostgreSQL: writers on every instance queue here, per chain, until this transaction ends, so each reads
    // the head the previous one wrote. SQLite has one writer at a time anyway. The unique (chain, seq) key
    // stays as the backstop.
    yield* run(lockChain, { chain });
    const stored = yield* get(chainHead, { chain });
    let head: ChainHead | null = stored ? { seq: Number(stored.seq), hash: stored.hash } : null;
    const linked: AuditRow[] = [];
    for (const i of byChain.get(chain)!) {
      const { ctx, entry, stamp } = events[i]!;
      const row = nextAuditEvent(chain, ctx, entry, head, stamp);
      linked.push((rows[i] = row));
      head = row;
    }
    yield* run(insertEvents, { rows: linked });
  }
  return rows;
}

/** One event: appendAuditEvents of a batch of one. */
export function* appendAuditEvent(
  ctx: AuditContext,
  entry: AuditEntry,
  stamp?: EventStamp,
): Program<AuditRow> {
  const [row] = yield* appendAuditEvents([{ ctx, entry, stamp }]);
  return row!;
}

const lockChain = new Statement<{ chain: string }>("audit_lock_chain", {
  postgresql: (db, p) => sql`SELECT pg_advisory_xact_lock(hashtext(${p.chain}))`,
});

const chainHead = new Statement<{ chain: string }, ChainHead>("audit_chain_head", (db, p) =>
  db
    .selectFrom("AuditEvent")
    .select(["seq", "hash"])
    .where("chain", "=", p.chain)
    .orderBy("seq", "desc")
    .limit(1),
);

/** A chain's new events, in one statement (in seq order). */
const insertEvents = insertRows("audit_insert_events", "AuditEvent", [...HASHED_FIELDS, "hash"]);
