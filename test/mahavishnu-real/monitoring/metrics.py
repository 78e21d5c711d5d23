"""The smallest stand-in for Mahavishnu's `monitoring.metrics`, which its server imports at start but its wheel
does not ship (the package lives beside `mahavishnu/` in its repository). Every metric it names is a no-op, and
`/metrics` answers an empty exposition: jackpool reads neither. The test harness puts this directory on the
server's PYTHONPATH; nothing of Mahavishnu's own is replaced."""

from typing import Any

from prometheus_client import CollectorRegistry
from starlette.responses import PlainTextResponse


class _NoMetric:
    """Takes every call a prometheus metric takes, and records nothing."""

    def labels(self, *args: Any, **kwargs: Any) -> "_NoMetric":
        return self

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None


def get_metrics_registry() -> CollectorRegistry:
    return CollectorRegistry()


def expose_metrics(registry: CollectorRegistry | None = None) -> bytes:
    return b""


async def metrics_endpoint() -> PlainTextResponse:
    return PlainTextResponse("")


def __getattr__(name: str) -> _NoMetric:
    """Any metric by name (PEP 562), e.g. `from monitoring.metrics import pool_workers_active`."""
    return _NoMetric()
