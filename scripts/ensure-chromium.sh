#!/usr/bin/env bash
# Makes sure Debian's chromium is installed for the browser tests (never downloads Playwright's browsers).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

echo "ensure-chromium: /usr/bin/chromium is missing, installing Debian's chromium with apt-get" >&2
if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }; then
  echo "ensure-chromium: FAILED to install chromium; the browser tests cannot run" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "ensure-chromium: FAILED: apt-get finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
echo "ensure-chromium: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)" >&2
