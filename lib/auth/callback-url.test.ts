import { describe, expect, it } from "vitest";
import { isAcceptableCallbackUrl, safeCallbackPath } from "./callback-url";

describe("safeCallbackPath", () => {
  it("keeps a path on this site, with its query", () => {
    expect(safeCallbackPath("/settings?tab=members")).toBe("/settings?tab=members");
  });

  it("turns the absolute URL the proxy sends into its path", () => {
    expect(safeCallbackPath("http://localhost:3000/audit")).toBe("/audit");
  });

  it("never leaves the site, however the URL is written", () => {
    expect(safeCallbackPath("https://evil.example/steal")).toBe("/steal");
    expect(safeCallbackPath("//evil.example/x")).toBe("/x");
    expect(safeCallbackPath("/\\evil.example")).not.toMatch(/^\/\//);
  });

  it("falls back to the overview for nonsense, sign-in loops and API paths", () => {
    expect(safeCallbackPath(undefined)).toBe("/");
    expect(safeCallbackPath("")).toBe("/");
    expect(safeCallbackPath("/login?callbackUrl=/")).toBe("/");
    expect(safeCallbackPath("/api/auth/signout")).toBe("/");
  });
});

describe("isAcceptableCallbackUrl (what Auth.js parses without calling it a server misconfiguration)", () => {
  it.each([
    "/",
    "/applications?x=1",
    "http://localhost:3000/audit",
    "https://evil.example/steal",
    "//evil.example",
    "", // ignored by Auth.js
  ])("accepts %j (safeCallbackPath keeps it on this site)", (value) =>
    expect(isAcceptableCallbackUrl(value)).toBe(true),
  );

  it.each(["toString", "\uFEFF", "javascript:alert(1)", "data:text/html,x", "evil.example"])(
    "refuses %j",
    (value) => expect(isAcceptableCallbackUrl(value)).toBe(false),
  );
});
