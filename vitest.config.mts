import path from "node:path";
import { defineConfig } from "vitest/config";
import { SecretScanLastSequencer } from "./test/sequencer";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(import.meta.dirname),
      // Services import "server-only" to keep them out of client bundles; tests are server code.
      "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts"),
    },
  },
  test: {
    include: ["{app,lib,components,prisma,scripts,test}/**/*.test.ts"],
    sequence: { sequencer: SecretScanLastSequencer },
    environment: "node",
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Each file gets its own module graph, so each can point lib/db at its own database file.
    isolate: true,
    pool: "forks",
    // HTTP test files share one running app and its database, and some assert counts: run files one at a
    // time so one file's writes never land inside another's before/after.
    fileParallelism: false,
    // next-auth imports "next/server" without an extension, which Node's ESM resolver refuses: let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
  },
});
