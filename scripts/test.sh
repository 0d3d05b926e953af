#!/usr/bin/env bash
# `npm test`: every check, in the order that fails fastest. Unit and integration tests need the production
# build (they start the real app), and the end-to-end tests need Chromium.
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

step() { printf '\n\033[1m▶ %s\033[0m\n' "$*"; }

step "lint";        npx eslint . --max-warnings 0
step "type-check";  npx tsc --noEmit
step "build";       npx next build
step "unit + integration (Vitest)"; npx vitest run
step "end-to-end (Playwright)";     npx playwright test
