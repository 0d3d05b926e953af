/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is a native addon and @node-rs/argon2 ships one: load them from node_modules at run time.
  serverExternalPackages: ["better-sqlite3", "@node-rs/argon2", "pg"],
  poweredByHeader: false,
  experimental: {
    // Next loads every route's code before it serves (its default since 15): ~0.4-0.5 s of each start, which
    // the first answer waited for. A route's code is loaded on its first request instead; the console then
    // warms the login page and the Overview itself (server/next-app.ts). npm start -> first /api/health 200:
    // 2.66-2.68 s with the preloading, 2.26-2.31 s without (quiet machine; docs/performance.md).
    preloadEntriesOnStart: false,
  },
  // `next build` type-checks the whole project (tsconfig.json: tests and benchmarks included), so neither
  // `npm start` nor `npm test` can serve code that does not type-check.
};

module.exports = nextConfig;
