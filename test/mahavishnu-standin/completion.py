"""Mahavishnu's completion detection (GenericShellWorker._check_text_completion and _check_json_completion): it
reads only the screen. A text worker is done when the screen's last line shows a completion marker, which the
line a command was just typed on already does when the prompt ends in `$`, or when an error marker is anywhere
on it; a JSON worker when any line of the screen is a result. Returns whether it is done, and the output."""

import json

from worker_types import ERROR_MARKERS, WorkerType


def _text(screen: str, markers: tuple[str, ...]) -> tuple[bool, str]:
    lines = screen.strip().split("\n")
    if any(marker in lines[-1].strip() for marker in markers):
        return True, "\n".join(lines[:-1])
    lowered = screen.lower()
    if any(marker in lowered for marker in ERROR_MARKERS):
        return True, screen
    return False, ""


def _json(screen: str, markers: tuple[str, ...]) -> tuple[bool, str]:
    for line in screen.split("\n"):
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(data, dict):
            continue
        serialized = json.dumps(data)
        is_result = data.get("type") == "result" and data.get("parent_tool_use_id") is None
        if is_result or any(marker in data or marker in serialized for marker in markers) or any(marker in serialized.lower() for marker in ERROR_MARKERS):
            return True, str(data.get("content") or data.get("text") or serialized)
    return False, ""


def check(worker_type: WorkerType, screen: str) -> tuple[bool, str]:
    return (_json if worker_type.stream_format == "json" else _text)(screen, worker_type.completion_markers)
