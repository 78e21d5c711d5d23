"""A worker's terminal as Mahavishnu 0.11 drives one through its terminal backend: a pseudo-terminal whose shell
lives as long as the worker. The worker type's launch command is typed into it first (`bash --noediting` for
terminal-shell), then each task's prompt, at once, whether or not the previous one finished, as keystrokes are.
What runs there keeps its state, so `cd` and variables carry over between tasks; the screen is what the terminal
shows, the tty's echo of each typed line included."""

import asyncio
import codecs
import fcntl
import os
import shlex
import signal
import struct
import termios

from screen import COLUMNS, ROWS, Screen
from worker_types import WorkerType


class ShellTerminal:
    def __init__(self, worker_id: str, worker_type: WorkerType, master: int, process: asyncio.subprocess.Process) -> None:
        self.worker_id = worker_id
        self.worker_type = worker_type
        self.closed = False
        self._master = master
        self._process = process
        self._screen = Screen()
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        asyncio.get_running_loop().add_reader(master, self._read)

    @classmethod
    async def open(cls, worker_id: str, worker_type: WorkerType, prompt: str) -> "ShellTerminal":
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        # Every shell in the terminal shows `prompt`, set again before each prompt: bashrc files set their own.
        env = {**os.environ, "PROMPT_COMMAND": f"PS1={shlex.quote(prompt)}"}
        # setsid -c: the shell leads a session whose controlling tty is the terminal, so it has job control, and
        # closing the terminal hangs up whatever runs in it, as closing a tmux session does.
        process = await asyncio.create_subprocess_exec(
            "setsid", "-c", "bash", "--norc", "--noprofile", "--noediting", "-i", stdin=slave, stdout=slave, stderr=slave, env=env
        )
        os.close(slave)
        terminal = cls(worker_id, worker_type, master, process)
        terminal.type(worker_type.launch)
        return terminal

    def _read(self) -> None:
        try:
            data = os.read(self._master, 65536)
        except OSError:  # EIO: nothing is left running in the terminal
            data = b""
        if data:
            self._screen.write(self._decoder.decode(data))
        else:
            self.close()

    def type(self, text: str) -> None:
        """Types `text` and Enter."""
        if not self.closed:
            os.write(self._master, (text + "\r").encode())

    def capture(self) -> str:
        """The screen's last 100 lines; nothing once the terminal is gone (capturing it fails)."""
        return "" if self.closed else self._screen.text()

    def close(self) -> None:
        """Hangs up the terminal: its shells and the jobs they run get SIGHUP."""
        if self.closed:
            return
        self.closed = True
        asyncio.get_running_loop().remove_reader(self._master)
        os.close(self._master)
        if self._process.returncode is None:
            self._process.send_signal(signal.SIGHUP)
