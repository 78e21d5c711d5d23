"""A contract-faithful stand-in for the Mahavishnu MCP server's pool tools (see
../../../shared/mahavishnu-pool-contract.md, and test/mahavishnu-standin/README.md).

Run: server.py [mcp start] [--host 127.0.0.1] [--port 8680]. MCP over streamable HTTP at /mcp, plus
GET /health, /healthz and /metrics. Pools live in memory and vanish with the process. It behaves as the real
0.11 server does; MAHAVISHNU_STANDIN_KIND=1 makes it kinder (behaviour.py).
"""

import argparse
import asyncio
import logging
import re
import uuid
from typing import Any

from fastmcp import FastMCP
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse

from behaviour import from_environment
from memory import search_memory
from pools import SELECTORS, PoolManager
from rate_limit import RateLimited, RateLimiter, coerce_caller_kind

logger = logging.getLogger("mahavishnu-standin")

behaviour = from_environment()
mcp = FastMCP("mahavishnu")
manager = PoolManager(behaviour)
limiter = RateLimiter()
# dispatch_to_pool and workflow_result refuse workflow ids that could leave `workflow-results/`.
WORKFLOW_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")
# Dispatched runs in flight (the event loop keeps only weak references to tasks).
dispatched: set[asyncio.Task] = set()


@mcp.custom_route("/health", methods=["GET"])
async def health(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok", "service": "mahavishnu", "version": behaviour.version})


@mcp.custom_route("/healthz", methods=["GET"])
async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


@mcp.custom_route("/metrics", methods=["GET"])
async def metrics(_: Request) -> PlainTextResponse:
    workers = sum(len(pool.workers) for pool in manager.pools.values())
    return PlainTextResponse(f'mahavishnu_pool_workers_active{{pool_type="mahavishnu"}} {workers}\n')


def kind_limit(caller_kind: str = "unknown") -> dict | None:
    """The kind stand-in charges every tool one unit (the real server only its execute paths)."""
    if not behaviour.kind:
        return None
    try:
        limiter.charge(caller_kind)
    except RateLimited as limited:
        return limited.answer(coerce_caller_kind(caller_kind))
    return None


@mcp.tool()
async def pool_spawn(
    pool_type: str = "mahavishnu",
    name: str = "default",
    min_workers: int = 1,
    max_workers: int = 10,
    worker_type: str = "terminal-claude",
) -> dict[str, Any]:
    """Spawn a new worker pool."""
    if (limited := kind_limit()) is not None:
        return limited
    try:
        pool_id = await manager.spawn(pool_type, name, min_workers, max_workers, worker_type)
    except Exception as error:  # noqa: BLE001 - the real tool returns every failure as data
        return {"status": "failed", "error": str(error)}
    return {"pool_id": pool_id, "pool_type": pool_type, "name": name, "status": "created", "min_workers": min_workers, "max_workers": max_workers}


@mcp.tool()
async def pool_execute(
    pool_id: str,
    prompt: str,
    timeout: int = 300,
    caller_kind: str = "unknown",
    parent_session_id: str | None = None,
) -> dict[str, Any]:
    """Execute task on specific pool."""
    try:
        limiter.charge(caller_kind)
    except RateLimited as limited:
        return limited.answer(coerce_caller_kind(caller_kind), **({} if behaviour.kind else {"pool_id": pool_id}))
    try:
        return await manager.get(pool_id).execute(prompt, timeout)
    except Exception as error:  # noqa: BLE001
        return {"pool_id": pool_id, "status": "failed", "error": str(error)}


async def route_and_execute(prompt: str, selector: str, timeout: int, caller_kind: str) -> dict[str, Any]:
    """PoolManager.route_task past the tool's own gate: its quota, a pool, then execute_on_pool with its quota."""
    try:
        if selector not in SELECTORS:
            raise ValueError(f"'{selector}' is not a valid PoolSelector")
        if not manager.pools:
            raise RuntimeError("No pools available for routing")
        limiter.charge(caller_kind)
        pool = manager.choose(selector)
        limiter.charge("unknown")
        return await pool.execute(prompt, timeout)
    except RateLimited as limited:
        return limited.answer(coerce_caller_kind(caller_kind))
    except Exception as error:  # noqa: BLE001
        return {"status": "failed", "error": str(error)}


@mcp.tool()
async def pool_route_execute(
    prompt: str,
    pool_selector: str = "least_loaded",
    timeout: int = 300,
    caller_pool_allowlist: list[str] | None = None,
    caller_kind: str = "unknown",
    parent_session_id: str | None = None,
    worker_type: str | None = None,
) -> dict[str, Any]:
    """Execute task with automatic pool routing."""
    try:
        limiter.charge(caller_kind)
    except RateLimited as limited:
        # The authorization gate reports the kind as sent, not coerced.
        return limited.answer(caller_kind if not behaviour.kind else coerce_caller_kind(caller_kind))
    if not behaviour.kind:
        return await route_and_execute(prompt, pool_selector, timeout, caller_kind)
    try:
        pool = manager.choose(pool_selector, caller_pool_allowlist, worker_type)
        return await pool.execute(prompt, timeout)
    except Exception as error:  # noqa: BLE001
        return {"status": "failed", "error": str(error)}


async def dispatch_to_pool(
    prompt: str,
    pool_selector: str = "least_loaded",
    caller_kind: str = "unknown",
    parent_session_id: str | None = None,
    timeout: int = 300,
    async_callback: bool = False,
    worker_type: str | None = None,
    workflow_id: str | None = None,
) -> dict[str, Any]:
    """Async-callback sibling of pool_route_execute for long-running or multi-step work."""
    try:
        limiter.charge(caller_kind)
    except RateLimited as limited:
        return limited.answer(caller_kind)
    if not async_callback:
        return await route_and_execute(prompt, pool_selector, timeout, caller_kind)
    if pool_selector not in SELECTORS:
        raise ValueError(f"'{pool_selector}' is not a valid PoolSelector")
    # Without Dhara (not configured here) the result of the background run is not kept anywhere.
    run = asyncio.create_task(route_and_execute(prompt, pool_selector, timeout, caller_kind))
    dispatched.add(run)
    run.add_done_callback(dispatched.discard)
    return {"workflow_id": str(uuid.uuid4()), "status": "queued", "caller_kind": coerce_caller_kind(caller_kind), "parent_session_id": parent_session_id}


async def workflow_result(workflow_id: str) -> dict[str, Any]:
    """Retrieve the result of an async dispatch_to_pool workflow."""
    if not WORKFLOW_ID.match(workflow_id):
        return {"workflow_id": workflow_id, "status": "invalid_workflow_id"}
    return {"workflow_id": workflow_id, "status": "not_found"}


# The kind stand-in has the ten tools of the contract's table; the real server also these two.
if not behaviour.kind:
    mcp.tool()(dispatch_to_pool)
    mcp.tool()(workflow_result)


@mcp.tool()
async def pool_list() -> list[dict[str, Any]] | dict[str, Any]:
    """List all active pools."""
    if (limited := kind_limit()) is not None:
        return limited
    return [pool.info() for pool in manager.pools.values()]


@mcp.tool()
async def pool_monitor(pool_ids: list[str] | None = None) -> dict[str, Any]:
    """Monitor pool status and metrics."""
    if (limited := kind_limit()) is not None:
        return limited
    ids = list(manager.pools) if pool_ids is None else pool_ids
    monitored: dict[str, Any] = {}
    for pool_id in ids:
        pool = manager.pools.get(pool_id)
        # memory_count is what the workers' results collect: one per worker.
        monitored[pool_id] = {"memory_count": len(pool.workers), "status": pool.status} if pool else {"memory_count": 0, "status": "not_found"}
    return monitored


@mcp.tool()
async def pool_scale(pool_id: str, target_workers: int) -> dict[str, Any]:
    """Scale pool to target worker count."""
    if (limited := kind_limit()) is not None:
        return limited
    pool = manager.pools.get(pool_id)
    if pool is None:
        return {"pool_id": pool_id, "status": "failed", "error": f"Pool not found: {pool_id}"}
    try:
        await pool.scale(target_workers)
    except NotImplementedError:
        return {"pool_id": pool_id, "status": "failed", "error": "Pool does not support scaling (e.g., SessionBuddyPool is fixed at 3 workers)"}
    except Exception as error:  # noqa: BLE001
        return {"pool_id": pool_id, "status": "failed", "error": str(error)}
    return {"pool_id": pool_id, "target_workers": target_workers, "actual_workers": len(pool.workers), "status": "scaled"}


@mcp.tool()
async def pool_close(pool_id: str) -> dict[str, Any]:
    """Close a specific pool."""
    if (limited := kind_limit()) is not None:
        return limited
    manager.close(pool_id)
    return {"pool_id": pool_id, "status": "closed"}


@mcp.tool()
async def pool_close_all() -> dict[str, Any]:
    """Close all active pools."""
    if (limited := kind_limit()) is not None:
        return limited
    count = len(manager.pools)
    for pool_id in list(manager.pools):
        manager.close(pool_id)
    return {"pools_closed": count, "status": "all_closed"}


# Registered where the real 0.11 server registers it (tools/list gives this order).
@mcp.tool()
async def pool_health() -> dict[str, Any]:
    """Get health status of all pools."""
    if (limited := kind_limit()) is not None:
        return limited
    return manager.health()


@mcp.tool()
async def pool_search_memory(query: str, limit: int = 100) -> list[dict[str, Any]] | dict[str, Any]:
    """Search memory across all pools."""
    if (limited := kind_limit()) is not None:
        return limited
    # The real tool asks Session-Buddy (:8678); without it, the search fails and returns []. With
    # MAHAVISHNU_STANDIN_MEMORY naming a JSON list of records, this plays Session-Buddy: it returns the records
    # whose JSON text contains the query (any case), at most `limit`.
    return search_memory(query, limit)


def main() -> None:
    parser = argparse.ArgumentParser(prog="mahavishnu", description="Mahavishnu pool server stand-in")
    parser.add_argument("command", nargs="*", help="accepted for `mahavishnu mcp start` compatibility")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8680)
    args = parser.parse_args()
    mcp.run(transport="http", host=args.host, port=args.port, path="/mcp", show_banner=False, log_level="warning")


if __name__ == "__main__":
    main()
