import { START_APP } from "./test/harness/child-server";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests drive Debian's Chromium (Playwright cannot download its own browser here) against the
 * production build started by `npm start`'s own script, on a fresh temporary database seeded with the demos.
 */
const chromium = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  throw new Error(
    `Chromium was not found at ${chromium}. Install it with "apt-get update && apt-get install -y chromium" ` +
      `or point PLAYWRIGHT_CHROMIUM_PATH at a Chromium binary.`,
  );
}

// Set once in the runner process; workers inherit it, so every process agrees on the same server.
process.env.E2E_DATA_DIR ??= mkdtempSync(path.join(tmpdir(), "statement-console-e2e-"));
const port = Number(process.env.E2E_PORT ?? 3199);
const E2E_PASSWORD = "e2e-demo-password"; // e2e/helpers.ts signs in with it

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  // Two browsers and the server share 2 cores: the longest specs (a dozen page loads, the simulator's curl
  // runs) take 25–65 s there, on this code and on the code before it alike (measured 2026-12-02), so 30 s
  // timed out at random.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    // `npm start`, without npm in between.
    command: [START_APP.command, ...START_APP.args].join(" "),
    url: `http://localhost:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      DATA_DIR: process.env.E2E_DATA_DIR,
      DATABASE_URL: `file:${path.join(process.env.E2E_DATA_DIR, "app.db")}`,
      SEED_PASSWORD: E2E_PASSWORD,
      NEXT_TELEMETRY_DISABLED: "1",
      // e2e/webhooks.spec.ts's receiver listens on loopback with a certificate it writes to this file (read at
      // each delivery, so it may appear after start-up).
      WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
      WEBHOOK_CA_FILE: path.join(process.env.E2E_DATA_DIR, "webhook-ca.pem"),
    },
  },
});
