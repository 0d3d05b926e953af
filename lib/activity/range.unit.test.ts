import { describe, expect, it } from "vitest";
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
