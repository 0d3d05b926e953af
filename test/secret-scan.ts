import { createHash } from "node:crypto";
import { openSql } from "./sql";

/**
 * Looks through every audit event of a database (and any extra text, such as the server's log) for secrets:
 * access tokens and other JWTs, personal access tokens, private keys, password hashes, a known password, and
 * any string that is a client secret or token whose SHA-256 the database holds. Returns what it found.
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
    const texts: [string, string][] = (
      await db.all<Record<string, unknown>>(`SELECT * FROM "AuditEvent"`)
    ).map((row) => [`audit event ${row.id as string} (${row.action as string})`, JSON.stringify(row)]);
    texts.push(...Object.entries(extraTexts));
    const findings: string[] = [];
    for (const [where, text] of texts) {
      const found = (what: string) => findings.push(`${what} in ${where}`);
      if (/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/.test(text)) found("a signed JWT");
      if (/sc_pat_[\w-]{20,}/.test(text)) found("a personal access token");
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
