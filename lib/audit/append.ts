import { sql } from "kysely";
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

/**
 * The one way an event joins its chain, whoever writes it: the dashboard's Prisma transactions
 * (lib/audit/record.ts) and the client-facing hot path (lib/dcr/store) run this same program, each on its own
 * connection, inside the transaction of the change it records.
 */
export function* appendAuditEvent(
  ctx: AuditContext,
  entry: AuditEntry,
  stamp?: EventStamp,
): Program<AuditRow> {
  const chain = chainOf(entry.organizationId);
  // PostgreSQL: writers on every instance queue here, per chain, until this transaction ends, so each reads
  // the head the previous one wrote. SQLite has one writer at a time anyway. The unique (chain, seq) key
  // stays as the backstop.
  yield* run(lockChain, { chain });
  const head = yield* get(chainHead, { chain });
  const row = nextAuditEvent(ctx, entry, head ? { seq: Number(head.seq), hash: head.hash } : null, stamp);
  yield* run(insertEvent, row);
  return row;
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

const insertEvent = new Statement<AuditRow>("audit_insert_event", (db, p) =>
  db
    .insertInto("AuditEvent")
    .values(
      Object.fromEntries(
        [...HASHED_FIELDS, "hash"].map((column) => [column, p[column as keyof AuditRow]]),
      ) as AuditRow,
    ),
);
