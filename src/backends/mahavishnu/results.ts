/** Result shapes of Mahavishnu's pool tools (shared/mahavishnu-pool-contract.md), as the client returns them. */

/** Pool status values. */
export type PoolStatus = "pending" | "initializing" | "running" | "scaling" | "degraded" | "stopped" | "failed";

/** `pool_spawn` success. */
export interface PoolSpawned {
  pool_id: string;
  pool_type: string;
  name: string;
  status: "created";
  min_workers: number;
  max_workers: number;
}

/**
 * What `pool_execute` / `pool_route_execute` report for a task that ran. `output` is terminal screen text
 * and `status` only says whether that text contains "error:": neither is a tool's result.
 */
export interface PoolExecution {
  pool_id: string;
  worker_id: string;
  status: "completed" | "failed" | "timeout";
  output: string;
  error: string | null;
  duration: number;
}

/** One entry of `pool_list` (and of `pool_health().pools`). */
export interface PoolInfo {
  pool_id: string;
  pool_type: string;
  name: string;
  status: PoolStatus;
  workers: number;
  min_workers: number;
  max_workers: number;
}

/** `pool_monitor`: per pool id; an unknown id has status `not_found`. */
export type PoolMonitor = Record<string, { memory_count: number; status: PoolStatus | "not_found" }>;

/** `pool_health`. */
export interface PoolHealth {
  status: "healthy" | "degraded" | "unhealthy";
  pools_active?: number;
  pools?: PoolInfo[];
  error?: string;
}

/** `pool_scale` success. */
export interface PoolScaled {
  pool_id: string;
  target_workers: number;
  actual_workers: number;
  status: "scaled";
}

/** `pool_close_all` success. */
export interface PoolsClosed {
  pools_closed: number;
  status: "all_closed";
}

/** Who is calling, for the server's per-kind rate limit. */
export type CallerKind = "ultracode" | "claude_code" | "workflow" | "cli" | "unknown";

/** How `pool_route_execute` picks a pool over MCP (`affinity` and `peer_affinity` always fail there). */
export type PoolSelector = "round_robin" | "least_loaded" | "random";
