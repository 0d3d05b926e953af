import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The CLI's view of the PostgreSQL variant (prisma/postgres/schema.prisma, derived by `npm run db:pg-schema`):
// `prisma generate` and `prisma migrate diff` run without a database. Migrations are applied by
// server/pg-migrate.ts, not by `prisma migrate deploy` (its Wasm engine cannot introspect PostgreSQL here).
process.env.DATABASE_URL ??= "postgresql://localhost/statement_console";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "schema.prisma",
  migrations: { path: "migrations" },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL! });
  },
});
