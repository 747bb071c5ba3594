#!/usr/bin/env bash
# The whole test suite, as `npm test` and CI run it: typecheck, lint, integration tests on PGlite and on a
# throwaway PostgreSQL server, then the browser tests in Debian's chromium. Fails loudly at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$1"; }

if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  step "installing PostgreSQL 15 server binaries"
  apt-get update && apt-get install -y postgresql-15
fi

step "typecheck"
npx tsc -p .

step "lint"
npx eslint .

mkdir -p test-results
rm -f test-results/integration.json test-results/browser.json

step "integration tests (PGlite and PostgreSQL)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/integration.json

step "browser tests (chromium)"
bash scripts/ensure-chromium.sh
npx vitest run --config e2e/vitest.config.ts --reporter=default --reporter=json --outputFile.json=test-results/browser.json

step "summary"
npx tsx scripts/test-summary.ts test-results/integration.json test-results/browser.json
