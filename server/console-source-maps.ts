/**
 * The console's process applies no source maps, as Next's own production server does not (`next start`), unless
 * asked with `--enable-source-maps` (in NODE_OPTIONS or on the command line). tsx turns them on for the
 * TypeScript it compiles, and Node then reads and parses the `.map` file of every module it loads: for Next's
 * runtime and the build's server chunks, that made loading Next and its routes about twice as slow (preloading
 * the routes at start: ~1.0–1.4 s with them, ~0.45–0.65 s without; docs/performance.md). Imported first by
 * ./next-app.ts, before Next is. Development (`npm run dev`) keeps them: Next's dev server maps its errors.
 */
const asked = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].includes(
  "--enable-source-maps",
);
const production = process.argv[3] === "production"; // next-app.ts's arguments: socket, mode
if (!asked && production) process.setSourceMapsEnabled(false);
