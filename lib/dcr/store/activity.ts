import { bucketStart, isRefusal, zeroCounts, type Counter } from "@/lib/activity/types";
import { run, type Program } from "@/lib/sql/statement";
import { addActivity, addClientTallies, addStatementTallies, type ActivityRow } from "./queries";

/** What an event is counted under: its statement, and the application and organization holding it. */
export type Attribution = { organizationId: string; applicationId: string; statementId: string };

/**
 * The counts of one transaction, summed before they are written: a batch of a thousand tokens for one statement
 * is one rollup row (lib/activity reads the sums) and one tally row per client, and each kind of row is one
 * multi-row upsert on PostgreSQL however many clients the batch served. Every row goes to this transaction's
 * shard. They are written in one order, rollups then statement tallies then client tallies, each by key, so
 * that two transactions adding to the same rows never wait for each other in a cycle.
 */
export class Tally {
  private readonly rows = new Map<string, ActivityRow>();
  private readonly statements = new Map<string, number>();
  private readonly clients = new Map<string, { tokens: number; lastTokenAt: Date }>();

  constructor(private readonly shard: number) {}

  add(who: Attribution, at: Date, counter: Counter) {
    const bucket = bucketStart(at);
    const key = `${who.statementId} ${bucket.toISOString()}`;
    let row = this.rows.get(key);
    if (!row) {
      const { organizationId, applicationId, statementId } = who;
      row = {
        organizationId,
        applicationId,
        statementId,
        bucket,
        shard: this.shard,
        lastRefusalAt: null,
        ...zeroCounts(),
      };
      this.rows.set(key, row);
    }
    row[counter]++;
    if (isRefusal(counter) && (!row.lastRefusalAt || at > row.lastRefusalAt)) row.lastRefusalAt = at;
    if (counter === "registrations")
      this.statements.set(who.statementId, (this.statements.get(who.statementId) ?? 0) + 1);
  }

  /** A token of the client registered as `registrationId`, issued at `at` (besides its rollup's count). */
  addToken(registrationId: string, at: Date) {
    const client = this.clients.get(registrationId);
    if (!client) this.clients.set(registrationId, { tokens: 1, lastTokenAt: at });
    else {
      client.tokens++;
      if (at > client.lastTokenAt) client.lastTokenAt = at;
    }
  }

  /** One statement per kind of row, each kind's rows in key order. */
  *write(): Program<void> {
    const shard = this.shard;
    if (this.rows.size > 0) yield* run(addActivity, { rows: sorted(this.rows).map(([, row]) => row) });
    if (this.statements.size > 0)
      yield* run(addStatementTallies, {
        rows: sorted(this.statements).map(([statementId, registrations]) => ({
          statementId,
          shard,
          registrations,
        })),
      });
    if (this.clients.size > 0)
      yield* run(addClientTallies, {
        rows: sorted(this.clients).map(([registrationId, client]) => ({ registrationId, shard, ...client })),
      });
  }
}

const sorted = <V>(map: Map<string, V>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
