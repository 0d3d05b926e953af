#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest. Unit tests need nothing; integration tests need the
# production build (they start the real app) and run twice: on SQLite, then on PostgreSQL (TEST_DB=postgres: a
# throwaway cluster from Debian's postgresql package, or the server TEST_PG_URL names). The end-to-end tests
# (SQLite) need Chromium. `next build` runs the type-check.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

chromium="${PLAYWRIGHT_CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  echo "✖ Chromium is needed for the end-to-end tests and was not found at $chromium." >&2
  echo "  Install it with:  apt-get update && apt-get install -y chromium" >&2
  echo "  or set PLAYWRIGHT_CHROMIUM_PATH to a Chromium binary." >&2
  exit 1
fi

if [ -z "${TEST_PG_URL:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "✖ PostgreSQL is needed for the PostgreSQL test pass and was not found under /usr/lib/postgresql." >&2
  echo "  Install it with:  apt-get update && apt-get install -y postgresql" >&2
  echo "  or set TEST_PG_URL=postgresql://user@host:port/postgres (a server where databases may be created)." >&2
  exit 1
fi

step() { printf '\n\033[1m▶ %s\033[0m\n' "$*"; }

step "unit (Vitest, parallel)";  npx vitest run --project unit
step "lint";                       npx eslint . --max-warnings 0
step "format";                     npx prettier --check .
step "build (type-checks)";        npx next build
step "integration on SQLite (Vitest)";     npx vitest run --project integration
step "integration on PostgreSQL (Vitest)"; TEST_DB=postgres npx vitest run --project integration
step "end-to-end (Playwright)";    npx playwright test
