import { existsSync, readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { findSecrets } from "../harness/secret-scan";

/**
 * Runs after every other test file (see test/harness/sequencer.ts): by now the suite has registered clients, minted
 * tokens, created personal access tokens and signed in with passwords against the running app. None of
 * those may appear in clear in any row of any table (audit events included) or in anything the server printed.
 */
describe("secrets the whole suite created", () => {
  it("appear in no table (audit events included) and nowhere in the server's log", async () => {
    const log = existsSync(inject("serverLog")) ? readFileSync(inject("serverLog"), "utf8") : "";
    expect(
      await findSecrets(inject("serverDbUrl"), [inject("seedPassword")], { "the server's log": log }),
    ).toEqual([]);
  });

  it("would be found if one leaked (the scan is not blind)", async () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4eHh4eHh4eHgifQ.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU";
    const findings = await findSecrets(inject("serverDbUrl"), [inject("seedPassword")], {
      probe: `token=${jwt} pat=sc_pat_abcdefghijklmnopqrstuvwxyz hook=whsec_abcdefghijklmnopqrstuvwxyz password=${inject("seedPassword")}`,
    });
    expect(findings).toEqual([
      "a signed JWT in probe",
      "a personal access token in probe",
      "a webhook signing secret in probe",
      "a password in probe",
    ]);
  });
});
