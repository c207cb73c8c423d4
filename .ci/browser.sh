#!/bin/sh
# Installs what the browser end-to-end test (crates/cli/tests/browser.rs) needs: Debian's
# Chromium, run headless with --dump-dom and --screenshot (no driver or npm package needed),
# plus a font so screenshots show text. wrk is for the load benchmark (`lagebild bench serve`).
set -eu
if command -v chromium >/dev/null 2>&1 && command -v wrk >/dev/null 2>&1; then
    echo "chromium and wrk present: $(chromium --version 2>/dev/null || echo chromium)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core wrk
chromium --version
