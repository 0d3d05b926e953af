import { randomUUID } from "node:crypto";
import { hash } from "@node-rs/argon2";
import type { Sql } from "@/test/harness/sql";

/**
 * A user of a test's own, straight into the running app's database, so that what the test does to it (lock it
 * out, end its sessions, count its events) touches no other test's. Optionally a member of one organization.
 */
export async function insertUser(
  sql: Sql,
  options: {
    email?: string;
    password: string;
    role?: "USER" | "REP";
    member?: { slug: string; role: "ADMIN" | "VIEWER" };
  },
): Promise<{ id: string; email: string }> {
  const id = randomUUID();
  const email = options.email ?? `user-${id}@acme.test`;
  await sql.run(
    `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "updatedAt") VALUES (?, ?, 'Test user', ?, ?, ?)`,
    id,
    email,
    await hash(options.password),
    options.role ?? "USER",
    new Date(),
  );
  if (options.member) {
    const org = await sql.get<{ id: string }>(
      `SELECT "id" FROM "Organization" WHERE "slug" = ?`,
      options.member.slug,
    );
    await sql.run(
      `INSERT INTO "Membership" ("id", "userId", "organizationId", "role") VALUES (?, ?, ?, ?)`,
      randomUUID(),
      id,
      org!.id,
      options.member.role,
    );
  }
  return { id, email };
}
