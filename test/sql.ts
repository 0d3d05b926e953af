import { inject } from "vitest";
import { openSql, type Sql } from "@/scripts/sql";

export * from "@/scripts/sql";

/** The running app's database (global-setup's `serverDbUrl`). */
export function openServerSql(): Promise<Sql> {
  return openSql(inject("serverDbUrl"));
}
