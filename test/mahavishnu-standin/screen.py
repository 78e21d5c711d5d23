"""A terminal's screen as completion detection reads it: the last 100 lines, wrapped at 80 columns."""

import re

SCREEN_LINES = 100
COLUMNS = 80
ROWS = 24
# Escape sequences (colours, titles, modes) change nothing completion detection sees.
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def wrap(line: str) -> list[str]:
    """Screen rows of one line in an 80-column terminal."""
    return [line[start : start + COLUMNS] for start in range(0, max(len(line), 1), COLUMNS)]


class Screen:
    """Lines written so far; the last one is where the cursor is (a prompt, or output still being written)."""

    def __init__(self) -> None:
        self._lines = [""]

    def write(self, text: str) -> None:
        text = _ESCAPES.sub("", text).replace("\r", "")
        first, *rest = text.split("\n")
        self._lines[-1] += first
        self._lines.extend(rest)
        del self._lines[:-SCREEN_LINES]

    def start_line(self, text: str) -> None:
        """Writes `text` at the start of a line: a new one unless the cursor is at the start of one."""
        self.write(("\n" if self._lines[-1] else "") + text)

    def show(self, line: str) -> None:
        """Puts `line` on a line of its own."""
        self.start_line(line + "\n")

    def rows(self) -> list[str]:
        rows = [row for line in self._lines for row in wrap(line)]
        return rows[-SCREEN_LINES:]

    def text(self) -> str:
        """What capturing the terminal's last 100 lines gives."""
        return "\n".join(self.rows()).rstrip("\n")
