import path from "node:path";
import { env } from "@/lib/env";
import { postgresStore } from "./postgres";
import { sqliteStore } from "./sqlite";
import type { DcrStore } from "./types";

export type * from "./types";

const globalForStore = globalThis as unknown as { dcrStore?: DcrStore };

/** The hot path's store for this process, on the database DATABASE_URL names. */
export function dcrStore(): DcrStore {
  globalForStore.dcrStore ??= env.DATABASE_URL.startsWith("file:")
    ? sqliteStore(path.resolve(env.DATABASE_URL.slice("file:".length)))
    : postgresStore(env.DATABASE_URL);
  return globalForStore.dcrStore;
}
