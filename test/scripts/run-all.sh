#!/usr/bin/env bash
# The whole test run (what `npm test` and CI do): lint, types, build, unit and
# node tests, the end-to-end suite against a real n8n (2.x, the latest 1.x,
# 2.x with lazy isolates, and 2.x in queue mode), the browser walk-through,
# then a check that no jest run left handles open and a search of everything
# the run printed or logged for the test secrets.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

export PBX_TEST_LOG_DIR="$(mktemp -d)"
trap 'rm -rf "$PBX_TEST_LOG_DIR"' EXIT
OUT="$PBX_TEST_LOG_DIR/test-output.log"

step() { printf '\n=== %s\n' "$*"; }
{
	step "lint (@n8n/eslint-plugin-community-nodes, inline disables not honoured)"; npm run --silent lint
	step "types (TypeScript strict)"; npx tsc --noEmit -p tsconfig.json; npx tsc -p test/tsconfig.json
	step "build"; npm run --silent build >/dev/null
	step "unit and node tests"; npx jest
	step "npm publish --dry-run from a clean clone of the last commit (prepack builds dist/)"; bash test/scripts/publish-dry-run.sh
	step "end-to-end tests in a real n8n (2.x, pinned in test/n8n)"; bash test/scripts/e2e.sh
	step "end-to-end tests in the latest n8n 1.x (test/compat/n8n-1)"
	bash scripts/n8n-setup.sh test/compat/n8n-1
	PBX_N8N_DIR=test/compat/n8n-1 bash test/scripts/e2e.sh
	step "end-to-end tests with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (the setting the README recommends for busy PBXs)"
	N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true bash test/scripts/e2e.sh
	step "end-to-end tests in n8n's queue mode: main, 2 webhook processes behind nginx, 2 workers, Redis, Postgres (scripts/queue-mode.js)"
	PBX_QUEUE_MODE=1 bash test/scripts/e2e.sh test/e2e/pbx.e2e.test.ts test/e2e/queue.e2e.test.ts test/e2e/registration.e2e.test.ts test/e2e/ringcentral.e2e.test.ts test/e2e/dialpad.e2e.test.ts
	step "browser walk-through: the editor of npm start in headless Chromium"
	bash test/browser/setup.sh
	WALKTHROUGH_SHOTS="$PBX_TEST_LOG_DIR/screenshots" node_modules/.node24/bin/node test/browser/walkthrough.js  # the logs folder is scanned below: its files, not this folder
} 2>&1 | tee "$OUT"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"
step "no jest run left anything open"
if grep -n -e "did not exit one second after the test run" -e "worker process has failed to exit gracefully" "$OUT"; then
	echo "a jest run ended with open handles (timers, sockets, child processes): find them with --detectOpenHandles" >&2
	exit 1
fi
step "secret hygiene"; node test/scripts/check-secret-leaks.js "$PBX_TEST_LOG_DIR"
