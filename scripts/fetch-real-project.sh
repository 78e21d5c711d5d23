#!/usr/bin/env bash
# Fetches the real third-party project used by the fidelity tests and the benchmark: a pinned wheel from
# PyPI (its package source), unpacked under .cache/ (never committed). Prints the project directory.
set -euo pipefail
cd "$(dirname "$0")/.."
name=pygments version=2.19.2
dir=".cache/real-projects/$name-$version"
if [ ! -f "$dir/.complete" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  .venv/bin/pip download --quiet --no-deps --only-binary :all: -d "$dir.download" "$name==$version"
  python3 -m zipfile -e "$dir.download"/*.whl "$dir"
  rm -rf "$dir.download" "$dir"/*.dist-info
  touch "$dir/.complete"
fi
echo "$PWD/$dir"
