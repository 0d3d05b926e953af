import { describe, expect, it } from "vitest";
import { ForbiddenError } from "@/lib/errors";
import { assertSameOrigin } from "./same-origin";

const check = (headers: Record<string, string>) => () =>
  assertSameOrigin(new Headers({ host: "console.example.com", ...headers }));

describe("assertSameOrigin (the admin API's and the server actions' one rule)", () => {
  it("accepts this site's Origin, with or without Sec-Fetch-Site: same-origin", () => {
    expect(check({ origin: "https://console.example.com" })).not.toThrow();
    expect(check({ origin: "https://console.example.com", "sec-fetch-site": "same-origin" })).not.toThrow();
  });

  it("refuses a missing, foreign, opaque or malformed Origin", () => {
    for (const origin of [
      undefined,
      "https://evil.example",
      "https://console.example.com:8443",
      "null",
      "::",
    ])
      expect(check(origin === undefined ? {} : { origin }), origin).toThrow(ForbiddenError);
  });

  it("refuses what the browser says is not same-origin, even with this site's Origin", () => {
    for (const site of ["cross-site", "same-site", "none", ""])
      expect(check({ origin: "https://console.example.com", "sec-fetch-site": site }), site).toThrow(
        ForbiddenError,
      );
  });
});
