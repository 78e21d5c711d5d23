#!/usr/bin/env bash
# Runs the real Mahavishnu 0.11.0 (installed by scripts/setup-mahavishnu-real.sh) in the foreground, the way it runs
# on a machine of this kind: `mahavishnu mcp start` on 127.0.0.1:<port>, in <dir> (created), with <dir>/home as HOME.
# Its workers' terminals are sessions of the tmux server `jackpool-mahavishnu-real-<port>`; they outlive it, so
# whoever started it kills that tmux server too (`tmux -L jackpool-mahavishnu-real-<port> kill-server`).
#
# What it gets besides its own code, and nothing else (see README.md here):
# - `npx mcpretentious`, its terminal backend, gone from the registries: bin/npx (tmux) first on PATH;
# - `monitoring.metrics`, imported at start but not in its wheel: monitoring/ on PYTHONPATH;
# - configuration: terminals on (off by default), the repository list it will not start without (empty), an empty
#   HOME (no one's rc files or state), FastMCP's PyPI update check off;
# - the workers' shell prompt, set before each prompt over the rc files': a user's ends in `$` (the default), root's
#   in `#`, which the server's completion check never takes for a finished command.
#
# Usage: start-server.sh <port> <dir> [user|root]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=$1 dir=$2 prompt=${3:-user}
mkdir -p "$dir/settings" "$dir/home"
echo "repos: []" > "$dir/settings/ecosystem.yaml"
cd "$dir"
mark='$'
[ "$prompt" = root ] && mark='#'
export HOME="$dir/home" SHELL=/bin/bash PATH="$here/bin:$PATH" PYTHONPATH="$here"
export MAHAVISHNU_TERMINAL__ENABLED=true MAHAVISHNU_SHIM_TMUX_SOCKET="jackpool-mahavishnu-real-$port"
export FASTMCP_CHECK_FOR_UPDATES=off FASTMCP_SHOW_SERVER_BANNER=false
export PROMPT_COMMAND="PS1='\\u@\\h:\\w$mark '"
exec "$here/../../.cache/mahavishnu-real/venv/bin/mahavishnu" mcp start --host 127.0.0.1 --port "$port"
