import { createHash } from "node:crypto";
import { openSql } from "./sql";

/**
 * Columns that hold such material by design: a software statement is a signed JWT that is stored to be
 * served (it is not a secret), and a password is stored as its argon2id hash. Everything else is scanned.
 */
const BY_DESIGN = new Set(["SoftwareStatement.jwt", "User.passwordHash"]);

/**
 * Looks through every row of every table of a database — audit events included — and any extra text (such as
 * the server's log) for secrets: access tokens and other JWTs, personal access tokens, private keys in clear,
 * password hashes outside their column, webhook signing secrets (kept encrypted), a known password, and any string that is a client secret or token
 * whose SHA-256 the database holds. Returns what it found.
 */
export async function findSecrets(
  dbUrl: string,
  knownPasswords: string[],
  extraTexts: Record<string, string> = {},
): Promise<string[]> {
  const db = await openSql(dbUrl);
  try {
    const hashes = new Set<string>([
      ...(await db.all<{ h: string }>(`SELECT "secretHash" AS h FROM "ClientRegistration"`)).map((r) => r.h),
      ...(await db.all<{ h: string }>(`SELECT "tokenHash" AS h FROM "PersonalAccessToken"`)).map((r) => r.h),
    ]);
    const tables = dbUrl.startsWith("file:")
      ? await db.all<{ name: string }>(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`,
        )
      : await db.all<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables
           WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
        );
    const texts: [string, string][] = [];
    for (const { name } of tables) {
      for (const row of await db.all<Record<string, unknown>>(`SELECT * FROM "${name}"`)) {
        for (const column of Object.keys(row)) if (BY_DESIGN.has(`${name}.${column}`)) delete row[column];
        const label =
          name === "AuditEvent"
            ? `audit event ${row.id as string} (${row.action as string})`
            : `${name} row ${String(row.id ?? row.key ?? "")}`;
        texts.push([label, JSON.stringify(row)]);
      }
    }
    texts.push(...Object.entries(extraTexts));
    const findings: string[] = [];
    for (const [where, text] of texts) {
      const found = (what: string) => findings.push(`${what} in ${where}`);
      if (/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/.test(text)) found("a signed JWT");
      if (/sc_pat_[\w-]{20,}/.test(text)) found("a personal access token");
      if (/whsec_[A-Za-z0-9+/]{20,}/.test(text)) found("a webhook signing secret");
      if (/PRIVATE KEY/.test(text)) found("a private key");
      if (/\$argon2(id|i|d)\$/.test(text)) found("a password hash");
      for (const password of knownPasswords) if (text.includes(password)) found("a password");
      for (const candidate of text.match(/[\w-]{32,}/g) ?? []) {
        if (hashes.has(createHash("sha256").update(candidate).digest("hex")))
          found("a client secret or access token");
      }
    }
    return findings;
  } finally {
    await db.close();
  }
}
