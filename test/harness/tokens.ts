import { createHash, randomBytes } from "node:crypto";
import type { Sql } from "@/test/harness/sql";

/**
 * A personal access token of `email` for the organization `slug`, inserted into the running app's database as
 * the console would make it (only its SHA-256 stored), and the token to send as `Authorization: Bearer`.
 */
export async function insertToken(
  sql: Sql,
  email: string,
  slug: string,
  access: "READ" | "WRITE",
  extra: { expiresAt?: Date; revokedAt?: Date } = {},
): Promise<string> {
  const token = "sc_pat_" + randomBytes(32).toString("base64url");
  const idOf = async (query: string, arg: string) => (await sql.get<{ id: string }>(query, arg))!.id;
  await sql.run(
    `INSERT INTO "PersonalAccessToken" ("id", "organizationId", "userId", "name", "prefix", "tokenHash", "access", "expiresAt", "revokedAt")
     VALUES (?, ?, ?, 'test', ?, ?, ?, ?, ?)`,
    randomBytes(8).toString("hex"),
    await idOf(`SELECT "id" FROM "Organization" WHERE "slug" = ?`, slug),
    await idOf(`SELECT "id" FROM "User" WHERE "email" = ?`, email),
    token.slice(0, 13),
    createHash("sha256").update(token).digest("hex"),
    access,
    extra.expiresAt ?? null,
    extra.revokedAt ?? null,
  );
  return token;
}
