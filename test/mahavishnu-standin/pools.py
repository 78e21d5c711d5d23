"""Pools in memory, with the result shapes, ids and error texts of Mahavishnu's PoolManager and MahavishnuPool."""

import asyncio
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from behaviour import Behaviour
from completion import check
from errors import MahavishnuError
from mock_terminal import MockTerminal
from shell_terminal import ShellTerminal
from terminal import Terminal, missing_tool
from worker_types import WORKER_TYPES, has_error_marker

POOL_TYPES = ("mahavishnu", "session-buddy", "runpod")
SELECTORS = ("round_robin", "least_loaded", "random", "affinity", "peer_affinity")
# GenericShellWorker looks at the screen this often until it sees completion or its timeout passes.
POLL_SECONDS = 0.5


@dataclass
class Pool:
    pool_type: str
    name: str
    min_workers: int
    max_workers: int
    worker_type: str
    behaviour: Behaviour
    workers: list[ShellTerminal | MockTerminal | Terminal] = field(default_factory=list)
    status: str = "running"

    def __post_init__(self) -> None:
        # BasePool names a pool after its type and the object's id().
        self.pool_id = f"{self.pool_type}_{id(self)}"

    async def add_workers(self, count: int) -> None:
        for _ in range(count):
            worker_id = f"term_{uuid.uuid4().hex[:8]}"
            worker_type = WORKER_TYPES[self.worker_type]
            if self.behaviour.kind:
                self.workers.append(Terminal(worker_id, worker_type))
            elif self.behaviour.mock_terminal:
                self.workers.append(MockTerminal(worker_id, worker_type))
            else:
                self.workers.append(await ShellTerminal.open(worker_id, worker_type, self.behaviour.prompt))

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

    async def execute(self, prompt: str, timeout: int) -> dict:
        if not self.workers:
            raise RuntimeError("No workers available in pool")
        # MahavishnuPool.execute_task: every task goes to the first worker.
        terminal = self.workers[0]
        start = time.monotonic()

        def result(status: str, output: str, error: str | None) -> dict:
            return {"pool_id": self.pool_id, "worker_id": terminal.worker_id, "status": status, "output": output, "error": error, "duration": time.monotonic() - start}

        if terminal.worker_type.category == "container":
            return result("failed", "", "Container worker requires a 'command' in the task")
        if isinstance(terminal, Terminal):
            return await self._execute_kindly(terminal, prompt, timeout, start, result)
        if not self.behaviour.ignore_prompts:
            terminal.type(prompt)
        # GenericShellWorker._monitor_completion: the screen alone decides, from the first look just after typing.
        while True:
            done, output = check(terminal.worker_type, terminal.capture())
            if done:
                failed = has_error_marker(output)
                return result("failed" if failed else "completed", output, "Error detected in output" if failed else None)
            if time.monotonic() - start > timeout:
                return result("timeout", "", "Task timed out")
            await asyncio.sleep(POLL_SECONDS)

    async def _execute_kindly(self, terminal: Terminal, prompt: str, timeout: int, start: float, result: Callable[[str, str, str | None], dict]) -> dict:
        """The kind stand-in answers once the command has finished."""
        job = asyncio.create_task(terminal.run(prompt, self.behaviour.ignore_prompts))
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
            await self.add_workers(target - len(self.workers))
        for terminal in self.workers[target:]:
            terminal.close()
        del self.workers[target:]

    def close(self) -> None:
        for terminal in self.workers:
            terminal.close()
        self.workers.clear()
        self.status = "stopped"


class PoolManager:
    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.pools: dict[str, Pool] = {}
        self.round_robin = 0

    async def spawn(self, pool_type: str, name: str, min_workers: int, max_workers: int, worker_type: str) -> str:
        if pool_type not in POOL_TYPES:
            raise ValueError(f"Unknown pool type: {pool_type}")
        if pool_type == "session-buddy":
            raise MahavishnuError("MHV-306", "External service 'session-buddy' error: not reachable at http://localhost:8678/mcp")
        if pool_type == "runpod":
            raise RuntimeError("RunPod pool requires RUNPOD_API_KEY")
        if worker_type not in WORKER_TYPES:
            raise ValueError(f"Unknown worker type: {worker_type}")
        # The real server types an AI CLI's launch command whether or not the CLI is there.
        if self.behaviour.kind and (missing := missing_tool(worker_type)) is not None:
            raise RuntimeError(missing)
        pool = Pool(pool_type, name, min_workers, max_workers, worker_type, self.behaviour)
        await pool.add_workers(min_workers)
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

    def choose(self, selector: str, allowlist: list[str] | None = None, worker_type: str | None = None) -> Pool:
        """PoolManager.route_task's choice of pool. The real one picks among all pools: the allowlist only bounds the
        affinity selectors, which cannot get their pool over MCP, and worker_type is not looked at; the kind
        stand-in picks among the pools in the allowlist of that worker type."""
        if not self.pools:
            raise RuntimeError("No pools available for routing")
        if selector == "affinity":
            raise ValueError("pool_affinity required for AFFINITY strategy")
        if selector == "peer_affinity":
            raise ValueError("PEER_AFFINITY selector requires task['peer_id'] and task['project_id'] to be set")
        candidates = list(self.pools.values())
        if self.behaviour.kind:
            candidates = [
                pool
                for pool in candidates
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
