"""A worker's terminal: what Mahavishnu's GenericShellWorker does through tmux, done with subprocesses.

The prompt is "typed" (echoed onto the screen), run as a command line, and its output lands on a persistent
screen: the last 100 lines, wrapped at 80 columns, shared by every task of the worker. A call's `output` is
that screen (earlier tasks included) minus the prompt line; there is no exit code, and the status is
`failed` when the screen contains an error marker anywhere.
"""

import asyncio
import os
import shutil
import signal
from dataclasses import dataclass, field

SCREEN_LINES = 100
COLUMNS = 80
PROMPT = "bash-5.2$ "
ERROR_MARKERS = ("error:", "exception:")  # the registry's markers, compared lower-cased


@dataclass(frozen=True)
class WorkerType:
    """What the stand-in knows of one entry of Mahavishnu's worker registry."""

    category: str  # "shell" | "ai" | "container"
    interpreter: tuple[str, ...] = ()
    requires_tool: str | None = None


WORKER_TYPES = {
    "terminal-shell": WorkerType("shell", ("bash", "-c")),
    "terminal-zsh": WorkerType("shell", ("zsh", "-c")),
    "terminal-python": WorkerType("shell", ("python3", "-c"), "python3"),
    "terminal-qwen": WorkerType("ai", ("bash", "-c"), "qwen"),
    "terminal-claude": WorkerType("ai", ("bash", "-c"), "claude"),
    "terminal-codex": WorkerType("ai", ("bash", "-c"), "codex"),
    "container": WorkerType("container"),
    "container-executor": WorkerType("container"),
}

EXECUTE_PREFIX = "Execute: "


def wrap(text: str) -> list[str]:
    """Screen lines of `text` in an 80-column terminal."""
    lines: list[str] = []
    for line in text.replace("\r", "").split("\n"):
        lines.extend(line[start : start + COLUMNS] for start in range(0, max(len(line), 1), COLUMNS))
    return lines


def has_error_marker(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in ERROR_MARKERS)


@dataclass
class Terminal:
    """One worker's terminal. Commands typed into it run one after another, like input typed into a busy shell."""

    worker_id: str
    worker_type: WorkerType
    cwd: str
    screen: list[str] = field(default_factory=lambda: [PROMPT])
    closed: bool = False
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _running: set[int] = field(default_factory=set)

    def _show(self, text: str) -> None:
        self.screen.extend(wrap(text))
        del self.screen[:-SCREEN_LINES]

    def _type(self, prompt: str) -> None:
        # The prompt is typed at the current last line (a shell prompt, or the middle of running output).
        last = self.screen.pop() if self.screen else ""
        self._show(last + prompt)

    def output(self) -> str:
        """What completion detection reports: the screen without its last (prompt) line."""
        return "\n".join(self.screen[:-1])

    def command_for(self, prompt: str) -> str | None:
        """The command line a prompt amounts to, or None when the worker would not run anything."""
        if self.worker_type.category == "shell":
            return prompt
        if self.worker_type.category == "ai" and prompt.startswith(EXECUTE_PREFIX):
            return prompt[len(EXECUTE_PREFIX) :]
        return None

    async def run(self, prompt: str, ignore_prompts: bool) -> None:
        """Types `prompt`, then runs it once the terminal is free; returns when it has finished."""
        self._type(prompt)
        async with self._lock:
            if self.closed:
                return
            command = None if ignore_prompts else self.command_for(prompt)
            if command is not None:
                await self._run_command(command)
            if self.worker_type.category == "ai":
                self._show('{"type": "result", "subtype": "success", "parent_tool_use_id": null}')
            self._show(PROMPT)

    async def _run_command(self, command: str) -> None:
        process = await asyncio.create_subprocess_exec(
            *self.worker_type.interpreter,
            command,
            cwd=self.cwd,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
        )
        self._running.add(process.pid)
        try:
            assert process.stdout is not None
            pending = ""
            while chunk := await process.stdout.read(65536):
                pending += chunk.decode("utf-8", "replace")
                *complete, pending = pending.split("\n")
                for line in complete:
                    self._show(line)
            if pending:
                self._show(pending)
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
    """The error MahavishnuPool.start raises when the worker type's CLI is not on PATH."""
    required = WORKER_TYPES[worker_type].requires_tool
    if required and shutil.which(required) is None:
        return f"Worker {worker_type!r} requires tool {required!r} which is not on PATH"
    return None

