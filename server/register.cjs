/* eslint-disable @typescript-eslint/no-require-imports -- loaded by `node --require`, before any TypeScript hook */
/**
 * How `npm start` runs TypeScript: `node --require ./server/register.cjs server/start.ts`. tsx's CommonJS hook
 * alone, with the server's tsconfig (its `paths` resolve "server-only" to an empty module, see
 * server/tsconfig.json). Not the tsx command, which starts node a second time to run the script, nor tsx's ESM
 * loader, which starts a loader thread: ~0.35 s and ~0.3 s of every start, the second in the console's process
 * too (docs/performance.md). The server's code is CommonJS and imports nothing dynamically, so the hook is all
 * it needs. Forked processes (the console, the cluster's workers) inherit both this flag and the variable.
 *
 * The hook looks at every module loaded while it is on, JavaScript included. The console's process turns it
 * off once its own TypeScript is loaded (server/next-app.ts, through `typeScriptHook` below): with it, Next
 * took ~1.6 s to load, prepare and preload its routes, ~0.9 s without (quiet machine, alone).
 */
// Set, not defaulted: a TSX_TSCONFIG_PATH inherited from elsewhere (a parent run with `tsx --tsconfig …`) would
// lose the server's "server-only" mapping, as `tsx --tsconfig server/tsconfig.json` used to override it too.
process.env.TSX_TSCONFIG_PATH = require("node:path").join(__dirname, "tsconfig.json");
const { register } = require("tsx/cjs/api");
let unregister = register();

globalThis[Symbol.for("statement-console.typescript-hook")] = {
  off() {
    unregister?.();
    unregister = undefined;
  },
  on() {
    unregister ??= register();
  },
};
