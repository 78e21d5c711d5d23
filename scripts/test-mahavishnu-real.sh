#!/usr/bin/env bash
# The real-Mahavishnu test tier (npm run test:mahavishnu-real): installs the real 0.11.0 server when its pinned
# environment is missing or stale, builds jackpool, and runs test/mahavishnu-real.test.ts against it, then says
# how long the install and the tests took. Without a CPython 3.13 or tmux it says so in one line and skips.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/python313.sh
python313 >/dev/null || { echo "test:mahavishnu-real: skipped: no CPython 3.13 (pyenv or PATH), which Mahavishnu 0.11 needs"; exit 0; }
command -v tmux >/dev/null || { echo "test:mahavishnu-real: skipped: no tmux, which gives the real server's workers their terminals"; exit 0; }
started=$SECONDS
bash scripts/setup-mahavishnu-real.sh
installed=$SECONDS
npm run --silent build:js
JACKPOOL_MAHAVISHNU_REAL=1 npx vitest run test/mahavishnu-real.test.ts
echo "test:mahavishnu-real: install $((installed - started)) s, build and tests $((SECONDS - installed)) s"
