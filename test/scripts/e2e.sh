#!/usr/bin/env bash
# End-to-end: the built package, packed and installed into a real n8n.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/n8n-setup.sh
[ -f dist/nodes/vendors/index.js ] || npm run --silent build >/dev/null
npx jest -c test/e2e/jest.config.js "$@"
