import { describe, expect, it } from "vitest";
import { activityCsv, linesCsv } from "./csv";
import { zeroCounts, type ActivityPoint, type ActivitySeries, type StatementLines } from "./types";

const zero = zeroCounts();
const point = (start: string, counts: Partial<ActivityPoint> = {}): ActivityPoint => ({
  ...zero,
  start,
  ...counts,
});

describe("activityCsv", () => {
  it("writes the header and one row per bucket, zeros included, starts in ISO 8601 UTC", () => {
    const series: ActivitySeries = {
      bucket: "hour",
      from: "2026-11-27T10:00:00.000Z",
      to: "2026-11-27T12:00:00.000Z",
      points: [
        point("2026-11-27T10:00:00.000Z", {
          registrations: 3,
          newDevices: 2,
          tokens: 1200,
          revokedAtRegister: 1,
          revokedAtToken: 2,
          badSecret: 3,
          throttled: 4,
          invalidStatement: 5,
        }),
        point("2026-11-27T12:00:00+01:00"),
      ],
    };
    expect(activityCsv(series).split("\r\n")).toEqual([
      "start,registrations,tokens,new_devices,refused_revoked_at_register,refused_revoked_at_token,refused_bad_secret,refused_throttled,refused_invalid_statement,statement_fetches",
      "2026-11-27T10:00:00.000Z,3,1200,2,1,2,3,4,5,0",
      "2026-11-27T11:00:00.000Z,0,0,0,0,0,0,0,0,0",
      "",
    ]);
  });

  it("writes only the header for an empty series", () => {
    expect(activityCsv({ bucket: "day", from: "x", to: "x", points: [] })).toBe(
      "start,registrations,tokens,new_devices,refused_revoked_at_register,refused_revoked_at_token,refused_bad_secret,refused_throttled,refused_invalid_statement,statement_fetches\r\n",
    );
  });
});

describe("linesCsv", () => {
  it("heads one column per statement and quotes labels with commas and quotes", () => {
    const lines: StatementLines = {
      bucket: "day",
      from: "2026-11-26T00:00:00.000Z",
      to: "2026-11-28T00:00:00.000Z",
      statements: [
        { id: "s1", label: 'iOS, "beta"', status: "active", revokedAt: null },
        { id: "s2", label: "=Android", status: "revoked", revokedAt: "2026-11-27T09:30:00.000Z" },
      ],
      points: [
        { start: "2026-11-26T00:00:00.000Z", values: [7, 0] },
        { start: "2026-11-27T00:00:00.000Z", values: [1, 12] },
      ],
    };
    expect(linesCsv(lines)).toBe(
      'start,"iOS, ""beta""",\'=Android\r\n' +
        "2026-11-26T00:00:00.000Z,7,0\r\n" +
        "2026-11-27T00:00:00.000Z,1,12\r\n",
    );
  });
});
