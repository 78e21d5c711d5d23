#!/usr/bin/env bash
# Installs the stand-in Mahavishnu server's pinned Python environment into ./.venv-standin. Idempotent: when the
# installed requirements match test/mahavishnu-standin/requirements.txt it returns at once.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=test/mahavishnu-standin/requirements.txt
stamp=.venv-standin/.requirements-installed
[ -x .venv-standin/bin/python ] || python3 -m venv .venv-standin
if ! cmp -s "$requirements" "$stamp"; then
  .venv-standin/bin/pip install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$stamp"
fi
