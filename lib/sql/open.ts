import path from "node:path";
import { env } from "@/lib/env";
import { postgresExecutor } from "./postgres";
import { sqliteExecutor } from "./sqlite";
import type { SqlExecutor } from "./statement";

/** An executor with its own connection(s) to the database a Prisma URL names (`file:…` or `postgresql://…`). */
export function openSqlExecutor(url: string): SqlExecutor {
  return url.startsWith("file:")
    ? sqliteExecutor(path.resolve(url.slice("file:".length)))
    : postgresExecutor(url, env.DCR_PG_POOL);
}
