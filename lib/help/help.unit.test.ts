import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { clientError } from "./errors";
import { FAQ_RULES } from "./faq";

/** Every error code the client-facing endpoints can answer, read from their sources. */
function answeredCodes(): Set<string> {
  const files = [
    ...readdirSync("lib/dcr")
      .filter((f) => f.endsWith(".ts") && !f.includes(".test."))
      .map((f) => path.join("lib/dcr", f)),
    "server/front.ts",
  ];
  const codes = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(/(?:OAuthError\(\s*|enhancedError\(\s*\d+,\s*)"([a-z_]+)"/g))
      codes.add(m[1]!);
  }
  return codes;
}

describe("help", () => {
  it("has a page for every error code a client can receive", () => {
    const codes = answeredCodes();
    expect(codes.size).toBeGreaterThan(5);
    for (const code of codes) expect(clientError(code), code).toBeDefined();
  });

  it("has the six FAQ rules, numbered 1 to 6", () => {
    expect(FAQ_RULES.map((r) => r.rule)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("builds helpUrl on PUBLIC_URL", async () => {
    vi.resetModules();
    vi.stubEnv("PUBLIC_URL", "https://console.example.com/");
    vi.stubEnv("DATA_DIR", mkdtempSync(path.join(tmpdir(), "sc-help-")));
    try {
      const { errorHelpUrl } = await import("./urls");
      expect(errorHelpUrl("invalid_access_token_client_application")).toBe(
        "https://console.example.com/help/errors/invalid_access_token_client_application",
      );
      const { enhancedError } = await import("@/lib/dcr/responses");
      const response: unknown = enhancedError(401, "invalid_request", "No.", "r1");
      // A fetch Response, or the plain { status, headers, body } a bare node:http handler may return.
      const text = response instanceof Response ? await response.text() : (response as { body: string }).body;
      expect(JSON.parse(text).helpUrl).toBe("https://console.example.com/help/errors/invalid_request");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
