#!/usr/bin/env bash
# The test command: sets up (idempotent), fetches the real project, runs the whole suite with real tools.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/fetch-real-project.sh >/dev/null
npm run --silent lint
npm run --silent typecheck
npx vitest run
