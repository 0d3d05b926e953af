import path from "node:path";
import { defineConfig } from "vitest/config";
import { SecretScanLastSequencer } from "./test/harness/sequencer";

const SOURCES = "{app,lib,components,prisma,server,scripts,test}/**";

/**
 * Two projects:
 * - `unit` (`*.unit.test.ts`): pure code, no database, no app; files run in parallel (`npm run test:unit`).
 * - `integration` (every other `*.test.ts`): real database files and the real app, started once by
 *   test/harness/global-setup.ts and talked to over HTTP.
 */
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Services import "server-only" to keep them out of client bundles; tests are server code.
      "server-only": path.resolve(import.meta.dirname, "test/harness/server-only-stub.ts"),
    },
  },
  test: {
    environment: "node",
    testTimeout: 30_000,
    // next-auth imports "next/server" without an extension, which Node's ESM resolver refuses: let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: [`${SOURCES}/*.unit.test.ts`] },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: [`${SOURCES}/*.test.ts`],
          exclude: [`${SOURCES}/*.unit.test.ts`, "**/node_modules/**"],
          sequence: { sequencer: SecretScanLastSequencer },
          globalSetup: ["test/harness/global-setup.ts"],
          hookTimeout: 120_000,
          // Each file gets its own module graph, so each can point lib/db at its own database file.
          isolate: true,
          pool: "forks",
          // HTTP test files share one running app and its database, and some assert counts: run files one at
          // a time so one file's writes never land inside another's before/after.
          fileParallelism: false,
        },
      },
    ],
  },
});
