import { describe, expect, it } from "vitest";
import { exactTime, relativeTime, timeInText } from "./time-format";

const now = Date.parse("2026-11-27T10:15:00Z");

describe("time format", () => {
  it("is relative to now, past and future", () => {
    expect(relativeTime(new Date(now - 10_000), now)).toBe("just now");
    expect(relativeTime(new Date(now - 5 * 60_000), now)).toBe("5 minutes ago");
    expect(relativeTime(new Date(now - 3 * 3600_000), now)).toBe("3 hours ago");
    expect(relativeTime(new Date(now - 24 * 3600_000), now)).toBe("yesterday");
    expect(relativeTime(new Date(now + 6 * 3600_000), now)).toBe("in 6 hours");
    expect(relativeTime(new Date(now - 400 * 24 * 3600_000), now)).toBe("last year");
  });

  it("gives the exact time in a named time zone", () => {
    expect(exactTime(new Date(now))).toBe("27 Nov 2026, 10:15 UTC");
    expect(exactTime(new Date(now), "Europe/Paris")).toBe("27 Nov 2026, 11:15 CET");
  });

  it("keeps each time zone's formatters apart (they are made once per zone)", () => {
    const summer = new Date(Date.parse("2026-07-01T10:15:00Z"));
    for (let i = 0; i < 2; i++) {
      expect(exactTime(summer, "Europe/Paris")).toBe("1 Jul 2026, 12:15 CEST");
      expect(exactTime(summer, "America/New_York")).toBe("1 Jul 2026, 06:15 GMT-4");
      expect(exactTime(summer)).toBe("1 Jul 2026, 10:15 UTC");
    }
    expect(() => exactTime(summer, "Not/AZone")).toThrow(RangeError);
  });

  it("writes both in plain text, never an ISO string", () => {
    const text = timeInText(new Date(now - 2 * 3600_000), now);
    expect(text).toBe("2 hours ago (27 Nov 2026, 08:15 UTC)");
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });
});
