#!/usr/bin/env bash
# The whole test run (what `npm test` and CI do): lint, types, build, unit and
# node tests, then the end-to-end suite against a real n8n.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf '\n=== %s\n' "$*"; }
step "lint (@n8n/eslint-plugin-community-nodes)"; npx eslint nodes credentials package.json
step "types (TypeScript strict)"; npx tsc --noEmit -p tsconfig.json; npx tsc -p test/tsconfig.json
step "build"; npm run --silent build >/dev/null
step "unit and node tests"; npx jest
step "end-to-end tests in a real n8n"; bash scripts/test-e2e.sh
