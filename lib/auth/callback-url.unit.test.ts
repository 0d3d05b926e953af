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

  // Each of these normalises to `//host…` (or `/\\host…`), which a browser follows to another site.
  it.each([
    "/.//evil.example/phish",
    "/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/a/..//evil.example",
    "/./\\evil.example",
    "/a/../\\evil.example",
    "/.\t//evil.example",
    "/.\n//evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
  ])("sends %j to the overview, never to another origin", (value) => {
    expect(safeCallbackPath(value)).toBe("/");
  });

  it("keeps encoded slashes encoded: they stay one path segment on this site", () => {
    expect(safeCallbackPath("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
    expect(safeCallbackPath("/%5Cevil.example")).toBe("/%5Cevil.example");
  });

  it("normalises dot segments that stay on this site", () => {
    expect(safeCallbackPath("/a/../audit?x=1")).toBe("/audit?x=1");
    expect(safeCallbackPath("/./applications")).toBe("/applications");
  });

  it("falls back to the overview for nonsense, sign-in loops and API paths", () => {
    expect(safeCallbackPath(undefined)).toBe("/");
    expect(safeCallbackPath("")).toBe("/");
    expect(safeCallbackPath("/login?callbackUrl=/")).toBe("/");
    expect(safeCallbackPath("/api/auth/signout")).toBe("/");
    expect(safeCallbackPath("/x/../login")).toBe("/");
    expect(safeCallbackPath("/%2e%2e/api/auth/signout")).toBe("/");
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
