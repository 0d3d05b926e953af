/* eslint-disable @typescript-eslint/no-require-imports -- loaded by `node --require`, before any TypeScript hook */
/**
 * How `npm start` runs TypeScript: `node --require ./server/register.cjs server/start.ts`. tsx's CommonJS hook
 * alone, with the server's tsconfig (its `paths` resolve "server-only" to an empty module, see
 * server/tsconfig.json). Not the tsx command, which starts node a second time to run the script, nor tsx's ESM
 * loader, which starts a loader thread: ~0.35 s and ~0.3 s of every start, the second in the console's process
 * too (docs/performance.md). The server's code is CommonJS and imports nothing dynamically, so the hook is all
 * it needs. Forked processes (the console, the cluster's workers) inherit both this flag and the variable.
 */
process.env.TSX_TSCONFIG_PATH ??= require("node:path").join(__dirname, "tsconfig.json");
require("tsx/cjs");
