/**
 * `npm run db:pg-schema`: derives prisma/postgres/schema.prisma from prisma/schema.prisma, which stays the one
 * schema anybody edits. Only the datasource provider and the generated client's location differ: the model
 * API of both clients is the same, so lib/db.ts can hand out either under one type.
 *
 * After a schema change: run this, then write the PostgreSQL migration with
 *   npx prisma migrate diff --from-schema-datamodel <the previous prisma/postgres/schema.prisma> \
 *     --to-schema-datamodel prisma/postgres/schema.prisma --script
 * into prisma/postgres/migrations/<name>/migration.sql (server/pg-migrate.ts applies it at start-up).
 * scripts/pg-schema.test.ts fails while the committed file differs from what this produces.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const SOURCE = "prisma/schema.prisma";
export const TARGET = "prisma/postgres/schema.prisma";

const HEADER =
  "// GENERATED from prisma/schema.prisma by `npm run db:pg-schema`: do not edit (the drift test fails).\n" +
  "// The PostgreSQL variant of the data model: same models, provider postgresql, client in lib/generated/prisma-pg.\n\n";

/** The PostgreSQL schema text for the SQLite schema text `source`. */
export function derivePgSchema(source: string): string {
  let out = source.replace(/^\/\/ The single source of truth[^\n]*\n\n?/, "");
  out = replaceOnce(out, /(datasource db \{[^}]*?provider\s*=\s*)"sqlite"/, '$1"postgresql"');
  out = replaceOnce(
    out,
    /(generator client \{[^}]*?output\s*=\s*)"\.\.\/lib\/generated\/prisma"/,
    '$1"../../lib/generated/prisma-pg"',
  );
  return HEADER + out;
}

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text))
    throw new Error(`${SOURCE}: expected to find ${pattern} (update scripts/pg-schema.ts)`);
  return text.replace(pattern, replacement);
}

export function derivedFromDisk(root = process.cwd()): string {
  return derivePgSchema(readFileSync(path.join(root, SOURCE), "utf8"));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  writeFileSync(TARGET, derivedFromDisk());
  console.log(`Wrote ${TARGET}`);
}
