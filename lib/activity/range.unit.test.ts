import { describe, expect, it } from "vitest";
import { tickLabel, bucketLabel, bucketOf, periodPhrase } from "./format";
import { parseRange } from "./range";

describe("parseRange", () => {
  it("accepts the three ranges", () => {
    expect(["24h", "7d", "30d"].map(parseRange)).toEqual(["24h", "7d", "30d"]);
  });

  it("falls back to 30d for anything else", () => {
    for (const value of [undefined, null, "", "1y", "7D", " 7d", "toString", "__proto__", ["7d"], 7, {}])
      expect(parseRange(value)).toBe("30d");
  });
});

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
