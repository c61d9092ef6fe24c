#!/usr/bin/env bash
# Installs everything the tests need, then runs them all: ruff, mypy and pytest.
# Usage: bash scripts/test.sh [extra pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

# Headless Chromium for the browser tests (Debian packages; Playwright's own download is not used).
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "== installing chromium and chromium-driver (apt)"
  # `env` sets the variable for apt-get with or without sudo (a bare VAR=value after an empty
  # $SUDO would be run as a command).
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# The medical spelling dictionary (kb/spelling.py: a term it knows is never corrected).
if [ ! -f /usr/share/hunspell/en_med_glut.dic ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "== installing hunspell-en-med (apt)"
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hunspell-en-med >/dev/null
fi

echo "== installing curbside with its test extra"
# llama.cpp's native build crashes on some CPUs (AMX); build it portable.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}"
python3 -m pip install -q -e ".[test]"

echo "== ruff"
python3 -m ruff check src tests bench scripts
echo "== mypy"
python3 -m mypy
echo "== pytest"
python3 -m pytest -q -p no:cacheprovider "$@"
