#!/usr/bin/env bash
# Installs everything jackpool and its tests need, pinned: Node packages (package-lock.json), and the Python
# tools (toolchain/requirements.txt) plus what only the tests use (test/requirements.txt) into ./.venv; then builds.
# Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r toolchain/requirements.txt -r test/requirements.txt
# gitleaks is a Go program: built from the Go module proxy into .venv/bin (the development tools), at the
# pinned version, with the release's version stamp so `gitleaks version` says what it is. Skipped when present.
# The version is the one pinned for the managed environment, in src/toolchain/go-tools.ts.
gitleaks_version=$(grep -A4 'name: "gitleaks"' src/toolchain/go-tools.ts | sed -n 's/.*version: "\(v[^"]*\)".*/\1/p')
[ -n "$gitleaks_version" ] || { echo "scripts/setup.sh: no gitleaks version found in src/toolchain/go-tools.ts" >&2; exit 1; }
if [ "$(.venv/bin/gitleaks version 2>/dev/null)" != "$gitleaks_version" ]; then
  GOBIN="$PWD/.venv/bin" go install \
    -ldflags "-X=github.com/zricethezav/gitleaks/v8/version.Version=$gitleaks_version" \
    "github.com/zricethezav/gitleaks/v8@$gitleaks_version"
fi
npm run --silent build
