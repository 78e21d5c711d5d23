#!/usr/bin/env bash
# Fetches the fidelity corpus: pinned sdists of real PyPI projects (tests and test data included), each sha256
# checked, unpacked under .cache/corpus/ (never committed) and made a git repository with everything committed.
#
#   scripts/fetch-corpus.sh [TIER] [DEST]
#
# DEST defaults to .cache/corpus. TIER is "ci" (default: the CI corpus), "slow" (the optional slower tier),
# "extra" (projects usable only without skylos), or "all". Each project is unpacked into DEST/<name> (the sdist's top folder renamed), then made a
# git repository with everything committed (jackpool and the direct runs take their file lists from
# `git ls-files`). Re-running skips a project whose folder already exists (it is moved there only once complete).
# Needs: curl, sha256sum, tar, git. Files come from PyPI's file host by exact URL.
set -euo pipefail

cd "$(dirname "$0")/.."
DEST=${2:-.cache/corpus}
TIER=${1:-ci}

# tier name version sha256 url
PROJECTS=(
  # ci: the corpus CI runs (every hard case but the over-1,000-files one, which pylint, in the slow tier, adds)
  "ci parso 0.8.7 eaaac4c9fdd5e9e8852dc778d2d7405897ec510f2a298071453e5e3a07914bb1 https://files.pythonhosted.org/packages/30/4b/90c937815137d43ce71ba043cd3566221e9df6b9c805f24b5d138c9d40a7/parso-0.8.7.tar.gz"
  "ci more-itertools 11.2.1 cbf08fd0af284dc69718b9b76a8e6203df624d70209ea511e4219d350c856f63 https://files.pythonhosted.org/packages/52/b8/c63995bebbb9ac9c059350e0fb8c82c2420c85aeca7d34e40aecf3df9281/more_itertools-11.2.1.tar.gz"
  "ci zope.interface 8.7 0b47b62e8d0d99b24bcdd32f4f2120425e5019c3bee2ad69a0e1d75737487a96 https://files.pythonhosted.org/packages/de/ff/a1f0021a26033da0df223fd05a7455d6d2881b67daf2c6dc897b4fe0a427/zope_interface-8.7.tar.gz"
  "ci werkzeug 3.1.9 55ca7c70a75689be937aa27f8ff4b018f06ff4838fc73045560bf0f5a1291060 https://files.pythonhosted.org/packages/a4/34/4dd12fc8bb7d61c91467ec3efe415ffa7d5456f799954b40c5bbaeae470e/werkzeug-3.1.9.tar.gz"
  # slow: an optional tier (each 2-4 minutes of direct runs; pylint, 2,517 files, 15 to 40 minutes in all)
  "slow pylint 4.1.4 4c9176dc6c9f1b98b742195f01899b290369d5a27b4b41d1014c17f2f96b26f1 https://files.pythonhosted.org/packages/8f/d7/bfea980ba1ea5666c7f774627f3a7159b98a21426a081dd2f05db8eb93b3/pylint-4.1.4.tar.gz"
  "slow pytest 9.2.0 97c4f3b1f3c7414aa36465e09b8220f1d03627993bd51b1282e193753c80557b https://files.pythonhosted.org/packages/79/42/bb4641652e58dedeac2ec51abc1f8cae4fee4ec63899a0999016229a0f2a/pytest-9.2.0.tar.gz"
  "slow setuptools 84.2.1 3ff8b3b5492a0aa66960f4419365a86b84e013070d4313e4d4a6894f5d64d6bc https://files.pythonhosted.org/packages/70/b3/c19426f783614d625699a4b247faf628ea9ab1db228674491767b417f9e1/setuptools-84.2.1.tar.gz"
  "slow astroid 4.3.4 d515a105722b72098bbe82d430d65e635f742b6cbac3bdfaf8b7c188b87c5e39 https://files.pythonhosted.org/packages/2d/87/5732fa68bf100a095cfcbd108f919220d995db99e1a7502b8119a869fd62/astroid-4.3.4.tar.gz"
  "slow jedi 0.20.1 2f71208c3f9c1bca057c0e90d3f272aba44ace88fc4067d7587e9e069331b7e5 https://files.pythonhosted.org/packages/a3/a4/4692ecd7fa700ac1066b1c1f6cadef60aa2e01e5e364710235137d823e0a/jedi-0.20.1.tar.gz"
  # extra: skylos --danger does not finish in 15 minutes on these; only usable without skylos
  "extra django 5.2.19 ad03d8abc51dbff95ebf34b27123cf0c26a3b62db7ba0cd520783686362533d1 https://files.pythonhosted.org/packages/02/29/a487a108caa76430c8b616aa90a6d09cf431306112c14093e6f0a7454e17/django-5.2.19.tar.gz"
  "extra docutils 0.23 746f5060322511280a1e50eb76846ed6bf2342984b2ac04dc42caa1a8d78799e https://files.pythonhosted.org/packages/39/a4/5180d9afc57e8fca05601dd652bdff19604c218814037fe90ffc7625a50a/docutils-0.23.tar.gz"
)

mkdir -p "$DEST/.sdists"
for entry in "${PROJECTS[@]}"; do
  read -r tier name version sha url <<<"$entry"
  [ "$TIER" = all ] || [ "$TIER" = "$tier" ] || continue
  dir="$DEST/$name"
  if [ -d "$dir" ]; then continue; fi
  file="$DEST/.sdists/$(basename "$url")"
  if [ ! -f "$file" ] || ! echo "$sha  $file" | sha256sum -c --quiet - 2>/dev/null; then
    curl -sSfL --retry 3 -o "$file.part" "$url"
    mv "$file.part" "$file"
  fi
  if ! echo "$sha  $file" | sha256sum -c --quiet -; then
    echo "sha256 mismatch for $file" >&2; rm -f "$file"; exit 1
  fi
  tmp=$(mktemp -d "$DEST/.unpack.XXXXXX")
  tar -xzf "$file" -C "$tmp" --no-same-owner
  top=$(echo "$tmp"/*)
  # Commit everything, ignored files included (-f): the sdist is the corpus, whatever its .gitignore says.
  # safe.directory: the checkout may be owned by another user (a CI container, a copied tree).
  git -C "$top" -c init.defaultBranch=main init -q
  git -C "$top" -c safe.directory="$top" add -A -f .
  git -C "$top" -c safe.directory="$top" -c user.name=corpus -c user.email=corpus@localhost \
    -c commit.gpgsign=false commit -q -m "$name $version sdist"
  # Moved into place only once complete, so an interrupted fetch is done again, never half used.
  mv "$top" "$dir"; rmdir "$tmp"
  echo "got $name $version: $(git -C "$dir" -c safe.directory="$(cd "$dir" && pwd)" ls-files '*.py' | wc -l) .py files"
done
