#!/usr/bin/env bash
# Install Debian's headless-capable Chromium for the report browser test
# (tests/test_report_browser.py). Idempotent: does nothing when it is present.
# Needs root (CI runs as root) and the Debian package mirror; on failure the
# browser test skips with a clear reason instead of failing the suite.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install_chromium.sh: not root and no sudo; cannot install chromium" >&2; exit 1; fi
else
  SUDO=""
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends chromium
/usr/bin/chromium --version
