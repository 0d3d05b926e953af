import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { derivedFromDisk, derivePgSchema, TARGET } from "./pg-schema";

describe("the PostgreSQL schema derived from prisma/schema.prisma", () => {
  it("is committed as the script writes it (run `npm run db:pg-schema` after changing the schema)", () => {
    expect(readFileSync(TARGET, "utf8")).toBe(derivedFromDisk());
  });

  it("differs from the SQLite schema only in the provider and the client's location", () => {
    const sqlite = readFileSync("prisma/schema.prisma", "utf8");
    const derived = derivePgSchema(sqlite);
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).toContain('output     = "../../lib/generated/prisma-pg"');
    const models = (text: string) => text.slice(text.indexOf("enum GlobalRole"));
    expect(models(derived)).toBe(models(sqlite));
  });
});
