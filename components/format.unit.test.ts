import { describe, expect, it } from "vitest";
import { formatIp, formatRole } from "./format";

describe("format", () => {
  it("writes roles as words", () => {
    expect(["ADMIN", "VIEWER", "CLIENT", "REP", "SYSTEM"].map(formatRole)).toEqual([
      "Admin",
      "Viewer",
      "Client",
      "Support representative",
      "System",
    ]);
    expect(formatRole(null)).toBeNull();
  });

  it("shows IPv4-mapped addresses as IPv4, and leaves others alone", () => {
    expect(formatIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(formatIp("::FFFF:203.0.113.7")).toBe("203.0.113.7");
    expect(formatIp("2001:db8::1")).toBe("2001:db8::1");
    expect(formatIp("198.51.100.2")).toBe("198.51.100.2");
    expect(formatIp(null)).toBeNull();
  });
});
