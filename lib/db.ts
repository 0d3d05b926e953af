import "server-only";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type Db = PrismaClient;
/** The client handed to code running inside `prisma.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

function createClient(): PrismaClient {
  // `timeout` is better-sqlite3's busy timeout: wait for another process's write instead of failing at once.
  const adapter = new PrismaBetterSQLite3({ url: env.DATABASE_URL, timeout: 5000 });
  const client = new PrismaClient({ adapter });
  // WAL lets readers run beside the one writer; NORMAL syncs at checkpoints, which WAL keeps crash-safe.
  void client.$queryRawUnsafe("PRAGMA journal_mode = WAL").then(() =>
    client.$queryRawUnsafe("PRAGMA synchronous = NORMAL"),
  );
  return client;
}

// One client per process, surviving hot reloads in development.
const globalForDb = globalThis as unknown as { prisma?: PrismaClient };
export const db: PrismaClient = globalForDb.prisma ?? createClient();
if (env.NODE_ENV !== "production") globalForDb.prisma = db;
