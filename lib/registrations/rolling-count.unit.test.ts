import { beforeEach, describe, expect, it } from "vitest";
import { resetRollingCounts, rollingCount, SETTLE_MS, type RangeCount } from "./rolling-count";

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

/** An in-memory table of timestamps, counting as the index range queries would, and recording each range. */
function table(times: number[]) {
  const ranges: [number, number][] = [];
  const count: RangeCount = async (gte, lt) => {
    const hi = lt?.getTime() ?? Infinity;
    ranges.push([gte.getTime(), hi]);
    return times.filter((t) => t >= gte.getTime() && t < hi).length;
  };
  return { times, ranges, count };
}

describe("rollingCount", () => {
  beforeEach(() => resetRollingCounts());

  it("counts the whole window on the first call", async () => {
    const now = 100 * WEEK;
    const rows = table([now - WEEK - 1, now - WEEK, now - HOUR, now - 1]);
    expect(await rollingCount("k", WEEK, rows.count, now)).toBe(3);
  });

  it("stays exact as the window slides, rows arrive and old ones leave, counting only the edges", async () => {
    let now = 100 * WEEK;
    const rows = table(Array.from({ length: 500 }, (_, i) => now - WEEK + i * (WEEK / 500)));
    const exact = (at: number) => rows.times.filter((t) => t >= at - WEEK).length;
    expect(await rollingCount("k", WEEK, rows.count, now)).toBe(exact(now));
    for (let step = 0; step < 20; step++) {
      now += 37 * 60_000;
      rows.times.push(now - 2 * SETTLE_MS, now - SETTLE_MS / 2, now);
      rows.ranges.length = 0;
      expect(await rollingCount("k", WEEK, rows.count, now)).toBe(exact(now));
      // Three small ranges: what left, what settled, what is live; none spans the window.
      expect(rows.ranges).toHaveLength(3);
      for (const [lo, hi] of rows.ranges) if (hi !== Infinity) expect(hi - lo).toBeLessThan(WEEK / 2);
    }
  });

  it("counts a row stamped just before an earlier call but stored after it", async () => {
    let now = 100 * WEEK;
    const rows = table([]);
    expect(await rollingCount("k", WEEK, rows.count, now)).toBe(0);
    rows.times.push(now - SETTLE_MS / 2); // its transaction committed after the first call
    now += 1000;
    expect(await rollingCount("k", WEEK, rows.count, now)).toBe(1);
  });

  it("starts over when the clock goes back or the anchor is older than the window", async () => {
    const now = 100 * WEEK;
    const rows = table([now - HOUR]);
    await rollingCount("k", WEEK, rows.count, now);
    rows.ranges.length = 0;
    expect(await rollingCount("k", WEEK, rows.count, now - HOUR)).toBe(1);
    expect(rows.ranges[0]).toEqual([now - HOUR - WEEK, now - HOUR - SETTLE_MS]);
    rows.ranges.length = 0;
    expect(await rollingCount("k", WEEK, rows.count, now + 2 * WEEK)).toBe(0);
    expect(rows.ranges[0]).toEqual([now + WEEK, now + 2 * WEEK - SETTLE_MS]);
  });

  it("keeps keys apart", async () => {
    const now = 100 * WEEK;
    expect(await rollingCount("a", WEEK, table([now - 1]).count, now)).toBe(1);
    expect(await rollingCount("b", WEEK, table([]).count, now)).toBe(0);
  });
});
