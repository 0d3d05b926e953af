import { spawnSync } from "node:child_process";
import { compactVerify, createLocalJWKSet, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";

freshTestDatabase();
const { db } = await import("@/lib/db");
const { activeSigningKey, publishedJwks } = await import("./service");

describe("signing keys", () => {
  it("creates an RS256 key on first use, encrypted at rest, and publishes its public half", async () => {
    const key = await activeSigningKey();
    const row = await db.signingKey.findUniqueOrThrow({ where: { kid: key.kid } });
    expect(row).toMatchObject({ algorithm: "RS256", status: "ACTIVE" });
    expect(row.privateKeyEnc).not.toContain("PRIVATE KEY");
    expect(row.privateKeyEnc).toMatch(/^v1\./);
    const jwks = await publishedJwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid: key.kid, kty: "RSA", alg: "RS256", use: "sig" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
    expect(await db.auditEvent.count({ where: { action: "signing_key.created", chain: "platform" } })).toBe(
      1,
    );
  });

  it("rotates from the command line, keeping the old key published so what it signed still verifies", async () => {
    const old = await activeSigningKey();
    const signedBefore = await new SignJWT({ sub: "app" })
      .setProtectedHeader({ alg: "RS256", kid: old.kid })
      .sign(old.privateKey);

    const result = spawnSync(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "scripts/rotate-signing-key.ts"],
      {
        env: process.env,
        encoding: "utf8",
      },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/New active signing key: [0-9a-f-]{36}/);

    const rows = await db.signingKey.findMany({ orderBy: { createdAt: "asc" } });
    expect(rows.map((r) => r.status)).toEqual(["RETIRED", "ACTIVE"]);
    const jwks = await publishedJwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([rows[1]!.kid, old.kid]);
    await expect(compactVerify(signedBefore, createLocalJWKSet(jwks))).resolves.toBeDefined();
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "signing_key.rotated" } });
    expect(event).toMatchObject({ chain: "platform", targetId: rows[1]!.kid, actorRole: "OPERATOR" });
  });
});
