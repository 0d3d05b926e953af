import { bucketStart, isRefusal, zeroCounts, type Counter } from "@/lib/activity/types";
import { run, type Program } from "@/lib/sql/statement";
import { addActivity, addClientTally, addStatementTally, type ActivityRow } from "./queries";

/** What an event is counted under: its statement, and the application and organization holding it. */
export type Attribution = { organizationId: string; applicationId: string; statementId: string };

/**
 * The counts of one transaction, summed before they are written: a batch of a thousand tokens for one statement
 * is one rollup upsert (lib/activity reads the sums), and one tally upsert per client. Every row goes to this
 * transaction's shard. They are written in one order, rollups then statement tallies then client tallies, each
 * by key, so that two transactions adding to the same rows never wait for each other in a cycle.
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

  *write(): Program<void> {
    const shard = this.shard;
    for (const key of [...this.rows.keys()].sort()) yield* run(addActivity, this.rows.get(key)!);
    for (const [statementId, registrations] of sorted(this.statements))
      yield* run(addStatementTally, { statementId, shard, registrations });
    for (const [registrationId, client] of sorted(this.clients))
      yield* run(addClientTally, { registrationId, shard, ...client });
  }
}

const sorted = <V>(map: Map<string, V>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
