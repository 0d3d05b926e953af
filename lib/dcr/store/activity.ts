import { bucketStart, isRefusal, zeroCounts, type Counter } from "@/lib/activity/types";
import { run, type Program } from "@/lib/sql/statement";
import { addActivity, type ActivityRow } from "./queries";

/** What an event is counted under: its statement, and the application and organization holding it. */
export type Attribution = { organizationId: string; applicationId: string; statementId: string };

/**
 * The rollup counts of one transaction, summed per statement and hour before they are written: a batch of a
 * thousand tokens for one statement is one upsert (lib/activity reads the sums).
 */
export class Tally {
  private readonly rows = new Map<string, ActivityRow>();

  constructor(private readonly shard: number) {}

  add(who: Attribution, at: Date, counter: Counter) {
    const bucket = bucketStart(at);
    const key = `${who.statementId} ${bucket.getTime()}`;
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
  }

  *write(): Program<void> {
    for (const row of this.rows.values()) yield* run(addActivity, row);
  }
}
