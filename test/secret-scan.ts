import { createHash } from "node:crypto";
import Database from "better-sqlite3";

/**
 * Looks through every audit event of a database (and any extra text, such as the server's log) for secrets:
 * access tokens and other JWTs, personal access tokens, private keys, password hashes, a known password, and
 * any string that is a client secret or token whose SHA-256 the database holds. Returns what it found.
 */
export function findSecrets(
  dbFile: string,
  knownPasswords: string[],
  extraTexts: Record<string, string> = {},
): string[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    const hashes = new Set<string>([
      ...(db.prepare(`SELECT secretHash AS h FROM ClientRegistration`).all() as { h: string }[]).map(
        (r) => r.h,
      ),
      ...(db.prepare(`SELECT tokenHash AS h FROM PersonalAccessToken`).all() as { h: string }[]).map(
        (r) => r.h,
      ),
    ]);
    const texts: [string, string][] = (
      db.prepare(`SELECT * FROM AuditEvent`).all() as Record<string, unknown>[]
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
    db.close();
  }
}
