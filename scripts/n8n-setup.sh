#!/usr/bin/env bash
# Installs an n8n on first use and makes it runnable. The n8n is not one of the
# package's devDependencies (`npm ci` at the root installs what building,
# linting and unit tests need): each n8n has its own folder, pinned by its own
# package.json and lockfile, and is installed there with `npm ci` the first time
# (and again when that lockfile changes). n8n needs Node 24 and its SQLite addon
# compiled for that Node; `.npmrc` skips install scripts, so this is done here,
# once. Node 24 is the machine's own when it is 24, otherwise the npm
# registry's build for this platform (node-<os>-<cpu>: Linux x64 and arm64,
# Windows x64; the registry has none of 24 for macOS), installed into
# node_modules/.node24 on first use: a devDependency could only name one platform.
#
#   scripts/n8n-setup.sh              the n8n in $PBX_N8N_DIR if set, else test/n8n (2.x)
#   scripts/n8n-setup.sh DIR          the n8n pinned in DIR (test/compat/n8n-1: the latest 1.x)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
DIR="$(cd "${1:-${PBX_N8N_DIR:-test/n8n}}" && pwd)"
NODE_VERSION=24.21.0
NODE24="$ROOT/node_modules/.node24"

[ -d "$ROOT/node_modules" ] || { echo "run npm ci first" >&2; exit 1; }
if [ ! -x "$NODE24/bin/node" ]; then
	if [ "$(node -p 'process.versions.node.split(".")[0]')" = 24 ]; then
		mkdir -p "$NODE24/bin" && ln -sf "$(node -p 'process.execPath')" "$NODE24/bin/node"
	else
		case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; MINGW* | MSYS* | CYGWIN*) os=win ;; *) os=unknown ;; esac
		case "$(uname -m)" in x86_64 | amd64) cpu=x64 ;; aarch64 | arm64) cpu=arm64 ;; *) cpu=unknown ;; esac
		pkg="node-$os-$cpu"
		# the pinned build, else the newest 24.x the registry has for this platform
		version="$(npm view "$pkg@$NODE_VERSION" version 2>/dev/null || npm view "$pkg@24" version --json 2>/dev/null | node -p 'let v; try { v = JSON.parse(require("fs").readFileSync(0, "utf8")); } catch {} (Array.isArray(v) ? v : typeof v === "string" ? [v] : []).pop() ?? ""' || true)"
		if [ -z "$version" ]; then
			echo "n8n needs Node 24, and the npm registry has no Node 24 build for $os-$cpu ($pkg): install Node 24 (https://nodejs.org, or nvm install 24), make it the node on your PATH, and run this again" >&2
			exit 1
		fi
		echo "n8n-setup: n8n needs Node 24 (this is Node $(node -v)): installing $pkg@$version from the npm registry into node_modules/.node24 (once)" >&2
		npm install --prefix "$NODE24" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$pkg@$version" >/dev/null
		# the binary is bin/node, or bin/node.exe on Windows: the package says which
		mkdir -p "$NODE24/bin" && ln -sf "$NODE24/node_modules/$pkg/$(node -p "require('$NODE24/node_modules/$pkg/package.json').bin.node")" "$NODE24/bin/node"
	fi
fi
# headers for building native addons: the Node installation the binary belongs to
NODE_PKG="$(cd "$(dirname "$(readlink -f "$NODE24/bin/node")")/.." && pwd)"

[ -f "$DIR/package-lock.json" ] || { echo "no n8n is pinned in $DIR (package.json and package-lock.json)" >&2; exit 1; }
# a copy of the lockfile the folder was installed from: when the lockfile changes (a new n8n), it installs again
INSTALLED="$DIR/node_modules/.pbx-installed-lock.json"
why=""
if [ ! -f "$DIR/node_modules/n8n/package.json" ]; then
	why="a few minutes, once"
elif [ -f "$INSTALLED" ] && ! cmp -s "$DIR/package-lock.json" "$INSTALLED"; then
	why="its lockfile changed"
fi
if [ -n "$why" ]; then
	echo "n8n-setup: installing $(node -p "Object.entries(require('$DIR/package.json').dependencies).map(e => e.join('@')).join(' ')") into ${DIR#$ROOT/} with npm ci ($why)" >&2
	(cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
[ -f "$INSTALLED" ] || cp "$DIR/package-lock.json" "$INSTALLED"
[ -f "$DIR/node_modules/n8n/package.json" ] || { echo "n8n is missing in $DIR after npm ci" >&2; exit 1; }

export PATH="$NODE24/bin:$PATH"
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
