import { inject } from "vitest";
import { openSql, type Sql } from "@/test/harness/sql";

export * from "@/test/harness/sql";

/** The running app's database (global-setup's `serverDbUrl`). */
export function openServerSql(): Promise<Sql> {
  return openSql(inject("serverDbUrl"));
}
