#!/usr/bin/env bash
# What the browser walk-through needs: Debian's Chromium (test tools may not
# download their own browser here) and playwright-core, pinned with its own
# lockfile in test/browser/ so the package's lockfile stays as it is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [ ! -x /usr/bin/chromium ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "browser-setup: installing chromium with apt-get (Debian's package, a minute or two, once): the walk-through drives the n8n editor in a real browser, and test tools may not download their own here" >&2
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	else
		echo "Chromium is missing: sudo apt-get install -y chromium (or set CHROMIUM_PATH)" >&2
		[ -n "${CHROMIUM_PATH:-}" ] || exit 1
	fi
fi
if [ ! -f test/browser/node_modules/playwright-core/package.json ]; then
	(cd test/browser && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
