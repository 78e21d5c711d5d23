"""Pools in memory, with the result shapes and error texts of Mahavishnu's PoolManager and MahavishnuPool."""

import asyncio
import os
import random
import time
import uuid
from dataclasses import dataclass, field

from errors import MahavishnuError
from terminal import WORKER_TYPES, Terminal, has_error_marker, missing_tool

POOL_TYPES = ("mahavishnu", "session-buddy", "runpod")


@dataclass(frozen=True)
class Faults:
    """Fault injection for tests, from the environment."""

    # pool_execute returns as soon as the prompt is typed, the way a prompt marker already on screen fools
    # the real server's completion detection.
    early_return: bool = os.environ.get("MAHAVISHNU_STANDIN_EARLY_RETURN") == "1"
    # The terminal swallows prompts: nothing runs, yet the call completes.
    ignore_prompts: bool = os.environ.get("MAHAVISHNU_STANDIN_IGNORE_PROMPTS") == "1"


@dataclass
class Pool:
    pool_id: str
    pool_type: str
    name: str
    min_workers: int
    max_workers: int
    worker_type: str
    workers: list[Terminal] = field(default_factory=list)
    status: str = "running"
    executions: int = 0

    def add_workers(self, count: int) -> None:
        for _ in range(count):
            self.workers.append(Terminal(f"term_{uuid.uuid4().hex[:8]}", WORKER_TYPES[self.worker_type], os.getcwd()))

    def info(self) -> dict:
        return {
            "pool_id": self.pool_id,
            "pool_type": self.pool_type,
            "name": self.name,
            "status": self.status,
            "workers": len(self.workers),
            "min_workers": self.min_workers,
            "max_workers": self.max_workers,
        }

    async def execute(self, prompt: str, timeout: int, faults: Faults) -> dict:
        if not self.workers:
            raise RuntimeError("No workers available in pool")
        # MahavishnuPool.execute_task: every task goes to the first worker.
        terminal = self.workers[0]
        start = time.monotonic()

        def result(status: str, output: str, error: str | None) -> dict:
            return {"pool_id": self.pool_id, "worker_id": terminal.worker_id, "status": status, "output": output, "error": error, "duration": time.monotonic() - start}

        if terminal.worker_type.category == "container":
            return result("failed", "", "Container worker requires a 'command' in the task")
        self.executions += 1
        job = asyncio.create_task(terminal.run(prompt, faults.ignore_prompts))
        if faults.early_return:
            await asyncio.sleep(0)  # the prompt is typed, and the prompt marker is already on screen
        else:
            try:
                await asyncio.wait_for(asyncio.shield(job), timeout)
            except TimeoutError:
                return result("timeout", terminal.output(), "Task timed out")
        if terminal.closed:
            # The session is gone: capturing its screen fails, and the worker keeps polling until its timeout.
            await asyncio.sleep(max(0.0, timeout - (time.monotonic() - start)))
            return result("timeout", "", "Task timed out")
        output = terminal.output()
        failed = has_error_marker(output)
        return result("failed" if failed else "completed", output, "Error detected in output" if failed else None)

    async def scale(self, target: int) -> None:
        if self.pool_type == "session-buddy":
            raise NotImplementedError
        if not self.min_workers <= target <= self.max_workers:
            raise ValueError(f"Target {target} outside range [{self.min_workers}, {self.max_workers}]")
        if target > len(self.workers):
            self.add_workers(target - len(self.workers))
        for terminal in self.workers[target:]:
            terminal.close()
        del self.workers[target:]

    def close(self) -> None:
        for terminal in self.workers:
            terminal.close()
        self.workers.clear()
        self.status = "stopped"


class PoolManager:
    def __init__(self) -> None:
        self.pools: dict[str, Pool] = {}
        self.round_robin = 0

    def spawn(self, pool_type: str, name: str, min_workers: int, max_workers: int, worker_type: str) -> str:
        if pool_type not in POOL_TYPES:
            raise ValueError(f"Unknown pool type: {pool_type}")
        if pool_type == "session-buddy":
            raise MahavishnuError("MHV-306", "External service 'session-buddy' error: not reachable at http://localhost:8678/mcp")
        if pool_type == "runpod":
            raise RuntimeError("RunPod pool requires RUNPOD_API_KEY")
        if worker_type not in WORKER_TYPES:
            raise ValueError(f"Unknown worker type: {worker_type}")
        if (missing := missing_tool(worker_type)) is not None:
            raise RuntimeError(missing)
        pool = Pool(f"pool_{uuid.uuid4().hex[:8]}", pool_type, name, min_workers, max_workers, worker_type)
        pool.add_workers(min_workers)
        self.pools[pool.pool_id] = pool
        return pool.pool_id

    def get(self, pool_id: str) -> Pool:
        pool = self.pools.get(pool_id)
        if pool is None:
            raise ValueError(f"Pool not found: {pool_id}")
        return pool

    def close(self, pool_id: str) -> None:
        pool = self.pools.pop(pool_id, None)
        if pool is not None:
            pool.close()

    def route(self, selector: str, allowlist: list[str] | None, worker_type: str | None) -> Pool:
        """PoolManager.route_task's choice of pool."""
        if not self.pools:
            raise RuntimeError("No pools available for routing")
        valid = ("round_robin", "least_loaded", "random", "affinity", "peer_affinity")
        if selector not in valid:
            raise ValueError(f"'{selector}' is not a valid PoolSelector")
        if selector == "affinity":
            raise ValueError("pool_affinity required for AFFINITY strategy")
        if selector == "peer_affinity":
            raise ValueError("PEER_AFFINITY selector requires task['peer_id'] and task['project_id'] to be set")
        candidates = [
            pool
            for pool in self.pools.values()
            if (allowlist is None or pool.pool_id in allowlist) and (worker_type is None or pool.worker_type == worker_type)
        ]
        if not candidates:
            raise RuntimeError("No pools available for routing")
        if selector == "round_robin":
            self.round_robin += 1
            return candidates[(self.round_robin - 1) % len(candidates)]
        if selector == "random":
            return random.choice(candidates)
        return min(candidates, key=lambda pool: (len(pool.workers), pool.pool_id))

    def health(self) -> dict:
        pools = [pool.info() for pool in self.pools.values()]
        unhealthy = [pool for pool in pools if pool["status"] in ("failed", "unhealthy")]
        status = "healthy" if not unhealthy else "degraded" if len(unhealthy) < len(pools) else "unhealthy"
        return {"status": status, "pools_active": len(pools), "pools": pools}
