"""A worker's terminal as the kind stand-in (MAHAVISHNU_STANDIN_KIND=1) keeps one: each prompt runs as a fresh
process (`bash -c`), one after another, and the stand-in knows when it finished. The screen is shared by every
task of the worker: the prompt, the typed line and the output, without an exit code.
"""

import asyncio
import os
import signal
import shutil

from screen import Screen
from worker_types import WORKER_TYPES, WorkerType

PROMPT = "bash-5.2$ "
EXECUTE_PREFIX = "Execute: "


class Terminal:
    """Commands typed into it run one after another, like input typed into a busy shell."""

    def __init__(self, worker_id: str, worker_type: WorkerType) -> None:
        self.worker_id = worker_id
        self.worker_type = worker_type
        self.closed = False
        self._screen = Screen()
        self._screen.write(PROMPT)
        self._lock = asyncio.Lock()
        self._running: set[int] = set()

    def output(self) -> str:
        """What the call reports: the screen without its last (prompt) line."""
        return "\n".join(self._screen.rows()[:-1])

    def command_for(self, prompt: str) -> str | None:
        """The command line a prompt amounts to, or None when the worker would not run anything."""
        if self.worker_type.category == "shell":
            return prompt
        if self.worker_type.category == "ai" and prompt.startswith(EXECUTE_PREFIX):
            return prompt[len(EXECUTE_PREFIX) :]
        return None

    async def run(self, prompt: str, ignore_prompts: bool) -> None:
        """Types `prompt`, then runs it once the terminal is free; returns when it has finished."""
        self._screen.write(prompt + "\n")
        async with self._lock:
            if self.closed:
                return
            command = None if ignore_prompts else self.command_for(prompt)
            if command is not None:
                await self._run_command(command)
            if self.worker_type.category == "ai":
                self._screen.show('{"type": "result", "subtype": "success", "parent_tool_use_id": null}')
            self._screen.start_line(PROMPT)

    async def _run_command(self, command: str) -> None:
        process = await asyncio.create_subprocess_exec(
            *self.worker_type.interpreter,
            command,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
        self._running.add(process.pid)
        try:
            assert process.stdout is not None
            while chunk := await process.stdout.read(65536):
                self._screen.write(chunk.decode("utf-8", "replace"))
            await process.wait()
        finally:
            self._running.discard(process.pid)

    def close(self) -> None:
        """Closes the terminal: whatever runs in it dies with its process group (tmux kill-session)."""
        self.closed = True
        for pid in list(self._running):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def missing_tool(worker_type: str) -> str | None:
    """The error the kind stand-in's spawn gives when the worker type's CLI is not on PATH."""
    required = WORKER_TYPES[worker_type].requires_tool
    if required and shutil.which(required) is None:
        return f"Worker {worker_type!r} requires tool {required!r} which is not on PATH"
    return None
