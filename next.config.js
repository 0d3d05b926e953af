/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is a native addon and @node-rs/argon2 ships one: load them from node_modules at run time.
  serverExternalPackages: ["better-sqlite3", "@node-rs/argon2", "pg"],
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tests included) with `tsc` before it builds: don't do it twice,
  // and don't let a half-written test file block `npm start`.
  typescript: { ignoreBuildErrors: true },
};

module.exports = nextConfig;
