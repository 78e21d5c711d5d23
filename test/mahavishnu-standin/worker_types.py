"""What the stand-in knows of Mahavishnu's worker registry (mahavishnu/workers/registry.py) for the types it offers."""

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkerType:
    category: str  # "shell" | "ai" | "container"
    # The command line a worker's terminal is started with (typed into the terminal's own shell).
    launch: str = ""
    # What completion detection looks for: in the screen's last line (text), or in a JSON line (json).
    completion_markers: tuple[str, ...] = ()
    stream_format: str = "text"
    # The CLI an AI worker needs (the kind stand-in refuses to spawn without it; the real server does not check).
    requires_tool: str | None = None
    # How the kind stand-in runs a task's command line, one process per task.
    interpreter: tuple[str, ...] = ("bash", "-c")


_AI_MARKERS = ("finish_reason", '"done"', '"type": "done"')

WORKER_TYPES = {
    "terminal-shell": WorkerType("shell", "bash --noediting", ("$",)),
    "terminal-zsh": WorkerType("shell", "zsh", ("%", "#"), interpreter=("zsh", "-c")),
    "terminal-python": WorkerType("shell", "python3 -iq", (">>>", "..."), interpreter=("python3", "-c")),
    "terminal-qwen": WorkerType("ai", "sh -lc 'qwen -o stream-json --approval-mode yolo'", _AI_MARKERS, "json", "qwen"),
    "terminal-claude": WorkerType("ai", "sh -lc 'claude --output-format stream-json --permission-mode acceptEdits'", _AI_MARKERS, "json", "claude"),
    "container": WorkerType("container"),
    "container-executor": WorkerType("container"),
}

# Mahavishnu's error markers, compared lower-cased on both sides.
ERROR_MARKERS = ("error:", "exception:")


def has_error_marker(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in ERROR_MARKERS)
