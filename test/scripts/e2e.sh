#!/usr/bin/env bash
# End-to-end: the built package, packed and installed into a real n8n.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash scripts/n8n-setup.sh
# the local npm registry the install test publishes to, pinned with its own lockfile
if [ ! -f test/registry/node_modules/verdaccio/package.json ]; then
	echo "e2e: installing Verdaccio (test/registry), the local npm registry for the Community Nodes install test (once)" >&2
	(cd test/registry && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
[ -f dist/nodes/vendors/index.js ] || npm run --silent build >/dev/null
# the suite runs the package's tools on n8n's Node 24
export PATH="$PWD/node_modules/.node24/bin:$PATH"
npx jest -c test/e2e/jest.config.js "$@"
