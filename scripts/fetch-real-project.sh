#!/usr/bin/env bash
# Fetches a real third-party project for the fidelity tests and the benchmarks: a pinned wheel from PyPI (its
# package source), or with "sdist" its source distribution (tests included), unpacked under .cache/ (never
# committed). Prints the project directory.
# Usage: fetch-real-project.sh [name version [sdist]]   (default: pygments 2.19.2, the tests' project; the memory
# benchmark also scans networkx 3.5, 574 Python files; the queue benchmark Django 5.1.4's sdist, 2,700 Python files).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-pygments} version=${2:-2.19.2} kind=${3:-wheel}
dir=".cache/real-projects/$name-$version"
[ "$kind" = sdist ] && dir="$dir-sdist"
if [ ! -f "$dir/.complete" ]; then
  rm -rf "$dir" "$dir.download" && mkdir -p "$dir"
  if [ "$kind" = sdist ]; then
    .venv/bin/pip download --quiet --no-deps --no-binary :all: -d "$dir.download" "$name==$version"
    tar -xzf "$dir.download"/*.tar.gz -C "$dir" --strip-components=1
  else
    .venv/bin/pip download --quiet --no-deps --only-binary :all: -d "$dir.download" "$name==$version"
    python3 -m zipfile -e "$dir.download"/*.whl "$dir"
    rm -rf "$dir"/*.dist-info
  fi
  rm -rf "$dir.download"
  touch "$dir/.complete"
fi
echo "$PWD/$dir"
