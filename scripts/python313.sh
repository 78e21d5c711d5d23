# Sourced by the real-Mahavishnu scripts. `python313` prints the path of a CPython 3.13 (Mahavishnu 0.11 needs
# >= 3.13, < 3.15): pyenv's newest 3.13, else python3.13 on PATH. It prints nothing and fails when there is none.
python313() {
  local version
  if command -v pyenv >/dev/null; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.13(\.[0-9]+)?$' | sort -V -r); do
      PYENV_VERSION=$version pyenv which python3.13 2>/dev/null && return 0
    done
  fi
  command -v python3.13
}
