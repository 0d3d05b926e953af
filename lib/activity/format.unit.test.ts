import { describe, expect, it } from "vitest";
import { bucketLabel, bucketOf, countTicks, periodPhrase, tickLabel } from "./format";

describe("activity labels", () => {
  it("writes ticks and rows in UTC", () => {
    expect(tickLabel("2026-11-27T09:00:00.000Z", "hour")).toBe("09:00");
    expect(tickLabel("2026-11-27T00:00:00.000Z", "hour")).toBe("00:00");
    expect(tickLabel("2026-11-27T00:00:00.000Z", "day")).toBe("Nov 27");
    expect(bucketLabel("2026-11-27T23:00:00.000Z", "hour")).toBe("Nov 27, 23:00");
    expect(bucketLabel("2026-11-27T00:00:00.000Z", "day")).toBe("Nov 27, 2026");
  });

  it("names the period", () => {
    expect(periodPhrase("2026-11-26T10:00:00.000Z", "2026-11-27T10:00:00.000Z")).toBe("the last 24 hours");
    expect(periodPhrase("2026-11-20T00:00:00.000Z", "2026-11-27T00:00:00.000Z")).toBe("the last 7 days");
    expect(periodPhrase("2026-10-28T00:00:00.000Z", "2026-11-27T00:00:00.000Z")).toBe("the last 30 days");
  });

  it("finds the bucket a moment falls in", () => {
    const starts = ["2026-11-26T00:00:00.000Z", "2026-11-27T00:00:00.000Z"];
    const to = "2026-11-28T00:00:00.000Z";
    expect(bucketOf("2026-11-27T09:30:00.000Z", starts, to)).toBe(starts[1]);
    expect(bucketOf("2026-11-26T00:00:00.000Z", starts, to)).toBe(starts[0]);
    expect(bucketOf("2026-11-25T23:59:59.000Z", starts, to)).toBeNull();
    expect(bucketOf(to, starts, to)).toBeNull();
    expect(bucketOf("nonsense", starts, to)).toBeNull();
  });
});

describe("countTicks", () => {
  it("steps by 1, 2 or 5 times a power of ten, at most five steps, at least 0 to 4", () => {
    expect(countTicks(0)).toEqual([0, 1, 2, 3, 4]);
    expect(countTicks(9)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(countTicks(12)).toEqual([0, 5, 10, 15]);
    expect(countTicks(367)).toEqual([0, 100, 200, 300, 400]);
    expect(countTicks(4210)).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
    expect(countTicks(99_999)).toEqual([0, 20_000, 40_000, 60_000, 80_000, 100_000]);
  });
});
