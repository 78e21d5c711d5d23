#!/usr/bin/env bash
# The test command: sets up (idempotent), fetches the real project, runs the whole suite with real tools.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-standin.sh
# From Debian's packages, as root, when missing: the memory-store tests start a real redis-server; skylos searches
# with ripgrep (without it, its dead-code check can run out of its time budget on a large project and drop findings,
# which would make the fidelity corpus flaky).
if [ "$(id -u)" -eq 0 ]; then
  missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v rg >/dev/null || missing+=("ripgrep=13.0.0-4+b2")
  if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}"; fi
fi
bash scripts/fetch-real-project.sh >/dev/null
# A second pinned ruff: the embedded WebAssembly ruff's version, for the embedded-ruff and tool-upgrade tests.
older_ruff="ruff $(sed -n 's/^ruff==//p' test/requirements-older-ruff.txt)"
if [ "$(.cache/older-ruff/bin/ruff --version 2>/dev/null)" != "$older_ruff" ]; then
  rm -rf .cache/older-ruff
  .venv/bin/pip install --quiet --disable-pip-version-check --target .cache/older-ruff -r test/requirements-older-ruff.txt
fi
npm run --silent lint
npm run --silent typecheck
npx vitest run
# The real-Mahavishnu tier takes minutes and a 720 MB environment of its own: CI runs it when that is cached.
if cmp -s test/mahavishnu-real/requirements.txt .cache/mahavishnu-real/venv/.requirements-installed; then
  bash scripts/test-mahavishnu-real.sh
else
  echo "scripts/test.sh: the real Mahavishnu tier is skipped: its environment is not cached (npm run test:mahavishnu-real installs it)"
fi
# This machine has twice been seen with /dev/null replaced by a regular file after a run, cause unknown: say so.
[ -c /dev/null ] || echo "scripts/test.sh: warning: /dev/null is no longer a character device" >&2
