/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is a native addon and @node-rs/argon2 ships one: load them from node_modules at run time.
  serverExternalPackages: ["better-sqlite3", "@node-rs/argon2", "pg"],
  poweredByHeader: false,
  // `next build` type-checks the whole project (tsconfig.json: tests and benchmarks included), so neither
  // `npm start` nor `npm test` can serve code that does not type-check.
};

module.exports = nextConfig;
