#!/usr/bin/env bash
# `npm publish --dry-run` from a clean clone of the last commit (its files as
# git has them, nothing uncommitted or ignored): no dist/ in the
# clone, so the package's prepack script must build it, and the files npm would
# publish must be what n8n loads (every node and credential of package.json's
# `n8n` section) plus package.json, README.md and LICENSE. The clone borrows
# this folder's node_modules (a link, so no second `npm ci`). Nothing is
# published: --dry-run stops before the upload.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$PWD"
[ -d node_modules ] || { echo "publish-dry-run: run npm ci first" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# the committed tree of HEAD, as a clone checks it out (works in a shallow CI checkout too)
mkdir "$WORK/clone"
git archive HEAD | tar -x -C "$WORK/clone"
echo "publish-dry-run: clean copy of commit $(git rev-parse --short HEAD) in $WORK/clone"
cd "$WORK/clone"
[ ! -e dist ] || { echo "publish-dry-run: the clone already has dist/" >&2; exit 1; }
ln -s "$ROOT/node_modules" node_modules

npm publish --dry-run --json --ignore-scripts=false >"$WORK/publish.json" 2>"$WORK/publish.log" || {
	cat "$WORK/publish.log" >&2
	echo "publish-dry-run: npm publish --dry-run failed" >&2
	exit 1
}
node - "$WORK/publish.json" <<'NODE'
const { readFileSync } = require('fs');
const out = JSON.parse(readFileSync(process.argv[2], 'utf8'));
// npm prints the package's summary, as an object keyed by its name or on its own
const summary = out.files ? out : Object.values(out)[0];
const files = summary.files.map((f) => f.path);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const needed = [...pkg.n8n.nodes, ...pkg.n8n.credentials, 'package.json', 'README.md', 'LICENSE'];
const missing = needed.filter((file) => !files.includes(file));
const outside = files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(file));
if (missing.length > 0 || outside.length > 0) {
	console.error(`publish-dry-run: missing ${JSON.stringify(missing)}, not expected ${JSON.stringify(outside)}`);
	process.exit(1);
}
console.log(`publish-dry-run: ${summary.name}@${summary.version} would publish ${files.length} files, built from the clone (${files.filter((f) => f.startsWith('dist/')).length} in dist/)`);
NODE
