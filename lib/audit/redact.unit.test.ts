import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets } from "./redact";

describe("redactSecrets", () => {
  it("replaces credentials and key material at any depth", () => {
    const out = redactSecrets({
      email: "a@b.test",
      password: "hunter2",
      passwordHash: "$argon2id$…",
      client_secret: "s3cret",
      nested: { accessToken: "eyJ…", privateKey: "-----BEGIN", list: [{ apiKey: "k" }] },
    });
    expect(out).toEqual({
      email: "a@b.test",
      password: REDACTED,
      passwordHash: REDACTED,
      client_secret: REDACTED,
      nested: { accessToken: REDACTED, privateKey: REDACTED, list: [{ apiKey: REDACTED }] },
    });
  });

  it("keeps counters and settings whose names merely mention tokens", () => {
    expect(redactSecrets({ tokenCount: 3, tokenLifetime: 21600 })).toEqual({
      tokenCount: 3,
      tokenLifetime: 21600,
    });
  });
});
