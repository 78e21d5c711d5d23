#!/usr/bin/env bash
# Installs the real Mahavishnu 0.11.0 server, every package pinned (test/mahavishnu-real/requirements.txt), into
# .cache/mahavishnu-real/venv: outside jackpool's tool environment, since it needs CPython 3.13 and about 540 MB.
# Idempotent: returns at once when the installed requirements match. Without a CPython 3.13 it says so in one
# line and exits 3, which scripts/test-mahavishnu-real.sh reads as "skip the tier".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python313.sh
requirements=test/mahavishnu-real/requirements.txt
venv=.cache/mahavishnu-real/venv
stamp=$venv/.requirements-installed
cmp -s "$requirements" "$stamp" && exit 0
python=$(python313) || { echo "setup-mahavishnu-real: no CPython 3.13 (pyenv or PATH), which Mahavishnu 0.11 needs" >&2; exit 3; }
rm -rf "$venv"
"$python" -m venv "$venv"
# --no-deps: the file is the whole closure, so pip picks no version of its own.
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$requirements"
cp "$requirements" "$stamp"
