import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseProvider, env } from "@/lib/env";
import { storableText } from "@/lib/text";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PgPrismaClient } from "@/lib/generated/prisma-pg/client";

/**
 * The database is chosen by DATABASE_URL: `file:…` is SQLite (one instance, nothing to run), `postgresql://…`
 * is PostgreSQL (several instances share it). Both clients come from the one data model (the PostgreSQL schema
 * is derived from prisma/schema.prisma), so their model APIs are the same and the SQLite client's type stands
 * for both. Code that must know which one it talks to asks `dbProvider`.
 */
export type Db = PrismaClient;
/** The client handed to code running inside `prisma.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export const dbProvider = databaseProvider(env.DATABASE_URL);

/**
 * SQLite tuned as soon as a connection opens, before any query can run on it: WAL lets readers work beside
 * the one writer, NORMAL syncs at checkpoints (which WAL keeps crash-safe), and the busy timeout makes a
 * writer wait for another process's transaction instead of failing at once.
 */
class TunedSQLite extends PrismaBetterSQLite3 {
  async connect() {
    const connection = await super.connect();
    await connection.executeScript(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;",
    );
    return connection;
  }
}

function createClient(): PrismaClient {
  const client =
    dbProvider === "postgresql"
      ? // A bounded connect: /api/health must answer 503 when the server is unreachable, not hang.
        (new PgPrismaClient({
          adapter: new PrismaPg({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 5000 }),
        }) as unknown as PrismaClient)
      : new PrismaClient({ adapter: new TunedSQLite({ url: env.DATABASE_URL, timeout: 5000 }) });
  // Same client, same methods: only the arguments of each query are rewritten, so the type stays PrismaClient.
  return client.$extends({
    query: { $allOperations: ({ args, query }) => query(wellFormed(args) as typeof args) },
  }) as unknown as PrismaClient;
}

/**
 * Strings made well-formed (an unpaired UTF-16 surrogate becomes U+FFFD) in a query's arguments. JSON bodies
 * and server-action arguments can carry `"\ud800"`, which Prisma's engine protocol cannot encode: the query
 * would fail with a 500 instead of simply matching nothing, or storing the replacement character. A NUL
 * becomes U+FFFD too: PostgreSQL cannot hold one in text at all (SQLite could, but no text here means one).
 */
function wellFormed(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(wellFormed);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wellFormed(v)]));
  }
  return value;
}

// One client per process, surviving hot reloads in development.
const globalForDb = globalThis as unknown as { prisma?: PrismaClient };
export const db: PrismaClient = globalForDb.prisma ?? createClient();
if (env.NODE_ENV !== "production") globalForDb.prisma = db;
