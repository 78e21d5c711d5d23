"""Per-caller_kind fixed-window quota, as PoolManager._enforce_caller_quota implements it."""

import os
import time
from dataclasses import dataclass

from errors import MahavishnuError

CALLER_KINDS = {"ultracode", "claude_code", "workflow", "cli", "unknown"}


def coerce_caller_kind(value: object) -> str:
    """Any unrecognised value lands in the `unknown` bucket, so novel strings cannot add quota."""
    return value if isinstance(value, str) and value in CALLER_KINDS else "unknown"


@dataclass
class _Window:
    start: float
    count: int = 0


class RateLimiter:
    """60 calls per 60 s per caller_kind by default; tests shrink it through the environment."""

    def __init__(self) -> None:
        self.max_per_window = int(os.environ.get("MAHAVISHNU_STANDIN_RATE_LIMIT", "60"))
        self.window_seconds = float(os.environ.get("MAHAVISHNU_STANDIN_RATE_WINDOW", "60"))
        self._windows: dict[str, _Window] = {}

    def check(self, caller_kind: object) -> dict | None:
        """Counts one call; returns the `rate_limited` result when the bucket is full, else None."""
        kind = coerce_caller_kind(caller_kind)
        now = time.monotonic()
        window = self._windows.setdefault(kind, _Window(start=now))
        elapsed = now - window.start
        if elapsed >= self.window_seconds:
            window.start, window.count, elapsed = now, 0, 0.0
        if window.count >= self.max_per_window:
            retry_after = max(0, int(self.window_seconds - elapsed))
            error = MahavishnuError("MHV-006", f"Rate limit exceeded: caller_kind={kind}")
            # RateLimitError only records a truthy retry_after: 0 seconds left comes back as null.
            return {"status": "rate_limited", "caller_kind": kind, "retry_after_seconds": retry_after or None, "error": str(error)}
        window.count += 1
        return None
