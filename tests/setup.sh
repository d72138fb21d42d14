#!/usr/bin/env bash
# Installs everything the test suite needs on a fresh Debian machine:
# the package with its test extras, Debian's Chromium (browser tests; never `playwright install`),
# Java for the Nu HTML Checker, and the checker itself (vnu-jar from npm).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
python -m pip install --quiet --disable-pip-version-check -e ".[test]"
missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
[ -f node_modules/vnu-jar/build/dist/vnu.jar ] || npm install --no-audit --no-fund --silent
