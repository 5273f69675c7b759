#!/bin/sh
# Make sure a Chromium is available, in the order README gives:
#   $PREFLIGHT_BROWSER, a browser on PATH, a Playwright-managed Chromium, Debian's chromium (root with
#   apt), Playwright's own download.
set -eu
python="${1:-python3}"
if [ -n "${PREFLIGHT_BROWSER:-}" ] && [ -x "${PREFLIGHT_BROWSER}" ]; then
    echo "browser: ${PREFLIGHT_BROWSER} (PREFLIGHT_BROWSER)"; exit 0
fi
for name in chromium chromium-browser google-chrome google-chrome-stable microsoft-edge; do
    if command -v "$name" >/dev/null 2>&1; then
        echo "browser: $(command -v "$name") (PATH)"; exit 0
    fi
done
# A Chromium that Playwright already downloaded (preflight finds it too).
if "$python" -c "import os, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    sys.exit(0 if os.path.isfile(p.chromium.executable_path) else 1)" 2>/dev/null; then
    echo "browser: Playwright-managed Chromium"; exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "browser: installing Debian's chromium with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    command -v chromium >/dev/null 2>&1 && { echo "browser: $(command -v chromium)"; exit 0; }
fi
echo "browser: downloading Playwright's Chromium"
"$python" -m playwright install chromium
