#!/usr/bin/env bash
# The test command: sets up (idempotent), fetches the real project, runs the whole suite with real tools.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/setup-standin.sh
# From Debian's packages, as root, when missing: the memory-store tests start a real redis-server; skylos searches
# with ripgrep (without it, its dead-code check can run out of its time budget on a large project and drop findings,
# which would make the fidelity corpus flaky); strace makes the kernel refuse file watches, for the daemon's test of a
# tree it cannot watch; the queue's tests also run workers in mount namespaces (unshare, util-linux, always there).
if [ "$(id -u)" -eq 0 ]; then
  missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v rg >/dev/null || missing+=("ripgrep=13.0.0-4+b2")
  command -v strace >/dev/null || missing+=("strace=6.1-0.1")
  # openssl makes the certificates of the queue's TLS test (a rediss:// Redis).
  command -v openssl >/dev/null || missing+=(openssl)
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
# Each tier writes a JSON report beside its terminal output; the slowest tests are printed at the end, so they show.
# A failing tier does not stop the others: the run ends with every tier's result and exits 1 if any failed.
mkdir -p .cache/test-results
started=$SECONDS
failed=0
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/test-results/suite.json || failed=1
echo "scripts/test.sh: the suite took $((SECONDS - started)) s"
# The fidelity corpus: real projects (pinned sdists, and pygments), each scanned cold, chunked, cached and staged
# against every tool's direct run, and an edit session whose cached reports must equal uncached ones.
bash scripts/fetch-corpus.sh ci
started=$SECONDS
npx vitest run --config vitest.corpus.config.ts --reporter=default --reporter=json --outputFile.json=.cache/test-results/corpus.json ||
  failed=1
echo "scripts/test.sh: the corpus took $((SECONDS - started)) s"
# The real-Mahavishnu tier takes minutes and a 720 MB environment of its own: CI runs it when that is cached.
if cmp -s test/mahavishnu-real/requirements.txt .cache/mahavishnu-real/venv/.requirements-installed; then
  bash scripts/test-mahavishnu-real.sh || failed=1
else
  echo "scripts/test.sh: the real Mahavishnu tier is skipped: its environment is not cached (npm run test:mahavishnu-real installs it)"
fi
# This machine has twice been seen with /dev/null replaced by a regular file after a run, cause unknown: say so.
[ -c /dev/null ] || echo "scripts/test.sh: warning: /dev/null is no longer a character device" >&2
node scripts/slowest-tests.mjs .cache/test-results/suite.json
node scripts/slowest-tests.mjs .cache/test-results/corpus.json 5
exit $failed
