"""The terminal of Mahavishnu 0.12 to 0.14 (mahavishnu/terminal/adapters/mock.py), which replaced the terminal
backend: it records what is typed and answers with canned text. Nothing runs, and its last line never shows a
prompt, so shell tasks wait until their timeout."""

from screen import Screen
from worker_types import WorkerType


class MockTerminal:
    def __init__(self, worker_id: str, worker_type: WorkerType) -> None:
        self.worker_id = worker_id
        self.worker_type = worker_type
        self.closed = False
        self._screen = Screen()
        self._screen.show(f"[Mock Terminal Started - Session {worker_id}]")
        self._screen.show(f"$ {worker_type.launch}\n[Mock: Command '{worker_type.launch}' received - session ready]")

    def type(self, text: str) -> None:
        self._screen.show(f"$ {text}")
        self._screen.show(f"[Mock] Executed: {text}\n[Mock] Return code: 0")

    def capture(self) -> str:
        return self._screen.text()

    def close(self) -> None:
        self.closed = True
