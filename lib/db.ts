import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type Db = PrismaClient;
/** The client handed to code running inside `prisma.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

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
  return new PrismaClient({ adapter: new TunedSQLite({ url: env.DATABASE_URL, timeout: 5000 }) });
}

// One client per process, surviving hot reloads in development.
const globalForDb = globalThis as unknown as { prisma?: PrismaClient };
export const db: PrismaClient = globalForDb.prisma ?? createClient();
if (env.NODE_ENV !== "production") globalForDb.prisma = db;
