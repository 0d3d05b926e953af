import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { generateKeyPair, SignJWT } from "jose";
import pg from "pg";
import { afterAll, expect, inject, it } from "vitest";
import { DATA_STEPS } from "@/server/pg-migrate";
import { recomputeSqliteIdentities } from "@/server/statement-identities";
import { bitFlipped, malleated } from "@/test/harness/jws-variants";
import { adminQuery, databaseUrl, ident } from "@/test/harness/postgres";
import { openSql } from "@/test/harness/server-sql";

/**
 * Migrations that change data, applied to a database as the migrations before them left it, with the rows an
 * earlier version could have stored. On the pass's own database kind.
 */
const onPostgres = inject("testDb") === "postgres";
const DIR = onPostgres ? "prisma/postgres/migrations" : "prisma/migrations";
const made: string[] = [];
afterAll(async () => {
  for (const name of made)
    await adminQuery(inject("pgAdminUrl"), `DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
});

type Script = (sql: string) => Promise<void>;

/**
 * A new database, a way to run a migration's SQL script on it, and a way to run a migration's data step as
 * the app runs it: on PostgreSQL server/pg-migrate.ts's DATA_STEPS in a transaction, on SQLite what
 * server/prepare.ts runs after `prisma migrate deploy`.
 */
async function emptyDatabase(): Promise<{
  url: string;
  script: Script;
  dataStep: (name: string) => Promise<void>;
}> {
  if (!onPostgres) {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "sc-mig-")), "app.db");
    const sqlite = new Database(file);
    return {
      url: `file:${file}`,
      script: async (sql) => void sqlite.exec(sql),
      dataStep: async () => void (await recomputeSqliteIdentities(file)),
    };
  }
  const name = `${inject("pgDbPrefix")}owner_${Date.now().toString(36)}`;
  await adminQuery(inject("pgAdminUrl"), `CREATE DATABASE ${ident(name)}`);
  made.push(name);
  const url = databaseUrl(inject("pgAdminUrl"), name);
  const connected = async (work: (client: pg.Client) => Promise<unknown>) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await work(client).finally(() => client.end());
  };
  return {
    url,
    script: (sql) => connected((client) => client.query(sql)),
    dataStep: (name) =>
      connected(async (client) => {
        await client.query("BEGIN");
        await DATA_STEPS[name]?.(client);
        await client.query("COMMIT");
      }),
  };
}

/** A new database migrated up to (not including) `migration`, and a way to apply that one. */
async function migratedUpTo(migration: string) {
  const { url, script, dataStep } = await emptyDatabase();
  const migrations = readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const name of migrations.filter((m) => m < migration))
    await script(readFileSync(path.join(DIR, name, "migration.sql"), "utf8"));
  return {
    sql: await openSql(url),
    apply: () => script(readFileSync(path.join(DIR, migration, "migration.sql"), "utf8")),
    dataStep: () => dataStep(migration),
  };
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

type Sql = Awaited<ReturnType<typeof openSql>>;

/** Organizations named `names`, each with one application `app-<name>`. */
async function organizations(sql: Sql, names: string[]) {
  for (const org of names) {
    await sql.run(
      `INSERT INTO "Organization" ("id", "slug", "name", "updatedAt") VALUES (?, ?, ?, ?)`,
      org,
      org,
      org,
      at(0),
    );
    await sql.run(
      `INSERT INTO "Application" ("id", "organizationId", "name", "version", "platforms", "domains", "scopes", "updatedAt")
       VALUES (?, ?, 'App', '1', '[]', '[]', '[]', ?)`,
      `app-${org}`,
      org,
      at(0),
    );
  }
}

// A statement's fingerprint became unique: where earlier versions let two organizations hold the same statement,
// the first holder keeps it, later copies are marked (their clients keep working, no new registration reaches them).
it("keeps the first holder of a duplicated statement and marks the later copies", async () => {
  const { sql, apply } = await migratedUpTo(
    onPostgres ? "0003_statement_single_owner" : "0006_statement_single_owner",
  );
  try {
    await organizations(sql, ["first", "second", "third"]);
    const statement = (id: string, org: string, fingerprint: string, minute: number) =>
      sql.run(
        `INSERT INTO "SoftwareStatement" ("id", "organizationId", "applicationId", "jwt", "header", "claims",
           "fingerprint", "issuer", "algorithm", "origin", "createdAt")
         VALUES (?, ?, ?, 'jwt', '{}', '{}', ?, 'https://issuer.test', 'RS256', 'UPLOADED', ?)`,
        id,
        org,
        `app-${org}`,
        fingerprint,
        at(minute),
      );
    // "second" uploaded first; "first" and "third" later copies. Another statement is held once.
    await statement("s-second", "second", "f-shared", 1);
    await statement("s-first", "first", "f-shared", 2);
    await statement("s-third", "third", "f-shared", 3);
    await statement("s-alone", "first", "f-alone", 4);

    await apply();

    const rows = await sql.all<{ id: string; fingerprint: string }>(
      `SELECT "id", "fingerprint" FROM "SoftwareStatement" ORDER BY "id"`,
    );
    expect(rows).toEqual([
      { id: "s-alone", fingerprint: "f-alone" },
      { id: "s-first", fingerprint: "f-shared:duplicate:s-first" },
      { id: "s-second", fingerprint: "f-shared" },
      { id: "s-third", fingerprint: "f-shared:duplicate:s-third" },
    ]);
    await expect(statement("s-again", "third", "f-shared", 5)).rejects.toThrow(/unique/i);
  } finally {
    await sql.close();
  }
});

// Statements got jti and expiresAt columns (Find looks statements up by jti; the statement URL skips expired
// ones): those stored before have them filled in from their claims, when of the right type.
it("fills in the jti and expiry of the statements stored before it", async () => {
  const { sql, apply } = await migratedUpTo(onPostgres ? "0007_refusals" : "0010_refusals");
  try {
    await sql.run(
      `INSERT INTO "Organization" ("id", "slug", "name", "updatedAt") VALUES ('o', 'o', 'O', ?)`,
      at(0),
    );
    await sql.run(
      `INSERT INTO "Application" ("id", "organizationId", "name", "version", "platforms", "domains", "scopes", "updatedAt")
       VALUES ('a', 'o', 'App', '1', '[]', '[]', '[]', ?)`,
      at(0),
    );
    const claims = {
      "s-jti": '{"jti":"j-1","sub":"x","exp":1798761600}',
      "s-number": '{"jti":7,"exp":"soon"}',
      "s-none": "{}",
    };
    for (const [id, json] of Object.entries(claims))
      await sql.run(
        `INSERT INTO "SoftwareStatement" ("id", "organizationId", "applicationId", "jwt", "header", "claims",
           "fingerprint", "issuer", "algorithm", "origin", "createdAt")
         VALUES (?, 'o', 'a', 'jwt', '{}', ?, ?, 'https://issuer.test', 'RS256', 'UPLOADED', ?)`,
        id,
        json,
        `f-${id}`,
        at(1),
      );
    await apply();
    expect(await sql.all(`SELECT "id", "jti" FROM "SoftwareStatement" ORDER BY "id"`)).toEqual([
      { id: "s-jti", jti: "j-1" },
      { id: "s-none", jti: null },
      { id: "s-number", jti: null },
    ]);
    // Compared as the app compares it: the stored expiry lies between the second before exp and exp itself.
    const expiring = await sql.all<{ id: string }>(
      `SELECT "id" FROM "SoftwareStatement" WHERE "expiresAt" > ? AND "expiresAt" <= ? ORDER BY "id"`,
      new Date(1798761599000),
      new Date(1798761600000),
    );
    expect(expiring).toEqual([{ id: "s-jti" }]);
  } finally {
    await sql.close();
  }
});

// A statement's fingerprint became its identity (lib/statements/identity.ts), computed by the app's own function
// after the SQL marked the old text hashes: each stored statement gets its identity; a byte-different copy that
// the text hash let in (another organization's, later) is marked as 0006 marked copies; one already marked stays
// marked; a stored JWT with no identity keeps its fingerprint.
it("recomputes every stored statement's identity from its JWT, the first holder keeping it", async () => {
  const { sql, apply, dataStep } = await migratedUpTo(
    onPostgres ? "0010_statement_identity" : "0013_statement_identity",
  );
  const { privateKey } = await generateKeyPair("ES256");
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT({ iss: "https://issuer.test", sub: "app", ...claims })
      .setProtectedHeader({ alg: "ES256" })
      .sign(privateKey);
  const textHash = (jwt: string) => createHash("sha256").update(jwt).digest("hex");
  const original = await sign({});
  const withJti = await sign({ jti: "j-1" });
  const marked = await sign({ software_version: "2" });
  const stored = {
    "s-1-original": [original, textHash(original)],
    "s-2-flipped": [bitFlipped(original), textHash(bitFlipped(original))],
    "s-3-malleated": [malleated(original), textHash(malleated(original))],
    "s-4-jti": [withJti, textHash(withJti)],
    "s-5-marked": [marked, `${textHash(marked)}:duplicate:s-5-marked`],
    "s-6-unreadable": ["jwt", "f-unreadable"],
  };
  try {
    await organizations(sql, ["o1", "o2"]);
    let minute = 0;
    for (const [id, [jwt, fingerprint]] of Object.entries(stored)) {
      const org = id === "s-1-original" ? "o1" : "o2";
      await sql.run(
        `INSERT INTO "SoftwareStatement" ("id", "organizationId", "applicationId", "jwt", "header", "claims",
           "fingerprint", "issuer", "algorithm", "origin", "createdAt")
         VALUES (?, ?, ?, ?, '{}', '{}', ?, 'https://issuer.test', 'ES256', 'UPLOADED', ?)`,
        id,
        org,
        `app-${org}`,
        jwt,
        fingerprint,
        at(++minute),
      );
    }
    await apply();
    await dataStep();

    const identity = (jwt: string) =>
      createHash("sha256")
        .update(jwt.slice(0, jwt.lastIndexOf(".")))
        .digest("hex");
    const jtiIdentity = createHash("sha256").update(`iss+jti\n["https://issuer.test","j-1"]`).digest("hex");
    expect(await sql.all(`SELECT "id", "fingerprint" FROM "SoftwareStatement" ORDER BY "id"`)).toEqual([
      { id: "s-1-original", fingerprint: identity(original) },
      { id: "s-2-flipped", fingerprint: `${identity(original)}:duplicate:s-2-flipped` },
      { id: "s-3-malleated", fingerprint: `${identity(original)}:duplicate:s-3-malleated` },
      { id: "s-4-jti", fingerprint: jtiIdentity },
      { id: "s-5-marked", fingerprint: `${identity(marked)}:duplicate:s-5-marked` },
      { id: "s-6-unreadable", fingerprint: "f-unreadable" },
    ]);
    // Run again (every start on SQLite), it finds nothing left to do.
    await dataStep();
    expect(
      await sql.get(
        `SELECT COUNT(*) AS "n" FROM "SoftwareStatement" WHERE "fingerprint" LIKE 'text-sha256:%'`,
      ),
    ).toEqual({ n: 0 });
  } finally {
    await sql.close();
  }
});
