#!/usr/bin/env bash
# Installs what the dashboard's browser test needs: Debian's Chromium (never a
# downloaded browser), Arabic fonts, and playwright-core from the npm registry.
# Called by .ci/run; safe to re-run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans Arabic"; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null
fi
if ! command -v node >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
npm ci --prefix "$here" --no-audit --no-fund --loglevel=error
