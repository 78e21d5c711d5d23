#!/usr/bin/env bash
# Fetches a real third-party project for the fidelity tests and the benchmarks: a pinned wheel from PyPI (its
# package source), unpacked under .cache/ (never committed). Prints the project directory.
# Usage: fetch-real-project.sh [name version]   (default: pygments 2.19.2, the tests' project; the memory
# benchmark also scans networkx 3.5, 574 Python files).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-pygments} version=${2:-2.19.2}
dir=".cache/real-projects/$name-$version"
if [ ! -f "$dir/.complete" ]; then
  rm -rf "$dir" && mkdir -p "$dir"
  .venv/bin/pip download --quiet --no-deps --only-binary :all: -d "$dir.download" "$name==$version"
  python3 -m zipfile -e "$dir.download"/*.whl "$dir"
  rm -rf "$dir.download" "$dir"/*.dist-info
  touch "$dir/.complete"
fi
echo "$PWD/$dir"
