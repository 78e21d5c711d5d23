"""Per-caller_kind fixed-window quota, as PoolManager._enforce_caller_quota implements it.

The real server charges it only where its execute paths call that method: pool_execute once; pool_route_execute
and dispatch_to_pool once at their authorization gate and once in route_task, both to the caller's kind, and once
more in execute_on_pool, which route_task calls without the caller's kind (so to `unknown`). The kind stand-in
charges every tool one unit instead.
"""

import os
import time
from dataclasses import dataclass

from errors import MahavishnuError

CALLER_KINDS = {"ultracode", "claude_code", "workflow", "cli", "unknown"}


def coerce_caller_kind(value: object) -> str:
    """Any unrecognised value lands in the `unknown` bucket, so novel strings cannot add quota."""
    return value if isinstance(value, str) and value in CALLER_KINDS else "unknown"


class RateLimited(Exception):
    """RateLimitError: the bucket is full."""

    def __init__(self, kind: str, retry_after: int) -> None:
        super().__init__(str(MahavishnuError("MHV-006", f"Rate limit exceeded: caller_kind={kind}")))
        # RateLimitError only records a truthy retry_after: 0 seconds left comes back as null.
        self.retry_after_seconds = retry_after or None

    def answer(self, caller_kind: object, **extra: object) -> dict:
        """The tool's `rate_limited` result; `caller_kind` as that tool reports it (coerced or as sent)."""
        return {**extra, "status": "rate_limited", "caller_kind": caller_kind, "retry_after_seconds": self.retry_after_seconds, "error": str(self)}


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

    def charge(self, caller_kind: object) -> None:
        """Counts one unit to the caller's (coerced) kind; raises RateLimited when its bucket is full."""
        kind = coerce_caller_kind(caller_kind)
        now = time.monotonic()
        window = self._windows.setdefault(kind, _Window(start=now))
        elapsed = now - window.start
        if elapsed >= self.window_seconds:
            window.start, window.count, elapsed = now, 0, 0.0
        if window.count >= self.max_per_window:
            raise RateLimited(kind, max(0, int(self.window_seconds - elapsed)))
        window.count += 1
