/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is a native addon and @node-rs/argon2 ships one: load them from node_modules at run time.
  serverExternalPackages: ["better-sqlite3", "@node-rs/argon2"],
  poweredByHeader: false,
  typedRoutes: false,
};

module.exports = nextConfig;
