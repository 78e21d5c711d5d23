"""How the stand-in behaves, read once from its environment.

By default it behaves as the real Mahavishnu 0.11 server was seen to (shared/mahavishnu-pool-contract.md, "Seen
on the real server"): its completion check reads the screen, so a shell prompt ending in `$` makes pool_execute
return at once; only the execute tools are rate limited; twelve pool tools; routing ignores worker_type; each
worker is one long-lived shell; pools spawn even when a worker type's CLI is missing.

MAHAVISHNU_STANDIN_KIND=1 restores the kinder behaviour the stand-in had before the real server was probed:
each call waits for its command to finish, every tool is rate limited at one unit, ten tools, routing honours
worker_type and the allowlist, a fresh process per task, and AI worker types refuse to spawn without their CLI.
"""

import os
from dataclasses import dataclass

# The prompt of an ordinary user's shell; root's ends in `#`, which the `$` completion check never sees.
USER_PROMPT = "bash-5.2$ "


def _major_minor(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in (version.split(".") + ["0", "0"])[:2])


@dataclass(frozen=True)
class Behaviour:
    kind: bool
    # MAHAVISHNU_STANDIN_PROMPT: the prompt of the workers' shells (`bash-5.2# ` plays root).
    prompt: str
    # MAHAVISHNU_STANDIN_VERSION: what /health reports; from 0.12 on, terminals are mocks that never run a command.
    version: str
    # MAHAVISHNU_STANDIN_IGNORE_PROMPTS=1: terminals swallow what is typed into them.
    ignore_prompts: bool

    @property
    def mock_terminal(self) -> bool:
        """Mahavishnu 0.12 to 0.14 replaced the terminal backend with a mock that only echoes what it is sent."""
        return _major_minor(self.version) >= (0, 12)


def from_environment() -> Behaviour:
    return Behaviour(
        kind=os.environ.get("MAHAVISHNU_STANDIN_KIND") == "1",
        prompt=os.environ.get("MAHAVISHNU_STANDIN_PROMPT", USER_PROMPT),
        version=os.environ.get("MAHAVISHNU_STANDIN_VERSION", "0.11.0"),
        ignore_prompts=os.environ.get("MAHAVISHNU_STANDIN_IGNORE_PROMPTS") == "1",
    )
