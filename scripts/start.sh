#!/usr/bin/env bash
# `npm start`: build, make n8n runnable, then run it (Node 24) with the package loaded.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/n8n-setup.sh
npm run --silent build >/dev/null
exec node_modules/.node24/bin/node scripts/start.js
