#!/usr/bin/env bash
# Installs everything jackpool and its tests need, pinned: Node packages (package-lock.json), and the Python
# tools (tools/requirements.txt) plus what only the tests use (test/requirements.txt) into ./.venv; then builds.
# Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r tools/requirements.txt -r test/requirements.txt
npm run --silent build
