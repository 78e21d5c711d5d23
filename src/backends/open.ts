import type { AutoscalingOptions, ScalingDecision } from "./autoscaler.js";
import type { Backend } from "./backend.js";
import { FallbackBackend } from "./fallback.js";
import { LocalPoolBackend } from "./threads/pool.js";
import { MahavishnuBackend } from "./mahavishnu/backend.js";
import { probeMahavishnu } from "./mahavishnu/probe.js";
import { versionCannotRunCommands } from "./mahavishnu/server-version.js";
import type { TaskExchanges } from "./mahavishnu/task-exchange.js";
import type { PoolScanningConfig } from "../config/schema.js";
import { RoutedBackend } from "./routed.js";
import type { MemorySearch } from "../core/memory-search.js";
import { UserError } from "../core/errors.js";
import { redactCredentials } from "../text/redact.js";
import type { Route } from "../core/route.js";
import type { ToolName } from "../core/tool-name.js";
import type { ShipmentOf } from "../core/shipment.js";
import { queueUrlOf } from "./queue/url.js";

/**
 * Where a scan's tasks run: `auto` prefers a queue with live workers, then a reachable Mahavishnu server; `local` never
 * asks.
 */
export type BackendMode = "auto" | "local" | "mahavishnu" | "queue";

/** The backend modes `--backend` accepts. */
export const BACKEND_MODES: readonly BackendMode[] = ["auto", "local", "mahavishnu", "queue"];

/** A scan's backend, and the server's memory search when a Mahavishnu server is in use. */
export interface OpenedBackend {
  backend: Backend;
  searchMemory?: MemorySearch;
  /** How many tasks can run at once beyond the local threads (queue workers' slots): what to chunk work for. */
  parallelism?: number;
}

/** What opening a backend needs from the scan. */
export interface BackendContext {
  mode: BackendMode;
  config: PoolScanningConfig;
  /** Local worker threads, and Mahavishnu pools (one task in flight each). */
  workers: number;
  /** `--keep-pool`: reuse running pools of `pool.name`, and leave them up. */
  keepPools: boolean;
  log: (line: string) => void;
  warn: (line: string) => void;
  /** Told about every autoscaling decision of either backend. */
  onScaling: (decision: ScalingDecision) => void;
  /** Where each tool's tasks go when there are pools (the plan's PoolRouter, plan/routing.ts). */
  routeOf: (tool: ToolName) => Route;
  /** The scan's: once aborted, no pool is spawned (the probe and each call are bounded in time by the client). */
  signal: AbortSignal;
  /** Each task's shipment to a queue worker, once the plan is made. */
  shipmentOf: Promise<ShipmentOf>;
}

/** The `autoscaling` section as a backend applies it, or undefined when it is off. */
function autoscalingOf(
  config: PoolScanningConfig,
  onDecision: (decision: ScalingDecision) => void,
): Omit<AutoscalingOptions, "backend"> | undefined {
  const { autoscaling } = config;
  if (!autoscaling.enabled) return undefined;
  return {
    min: config.pool.min_workers,
    max: autoscaling.max_workers,
    upThreshold: autoscaling.scale_up_threshold,
    idleMs: autoscaling.scale_down_threshold * 1000,
    onDecision,
  };
}

/** Why a scan has no queue to use: `trouble` when one is configured and cannot be reached, which `auto` warns about. */
interface NoQueue {
  reason: string;
  trouble: boolean;
}

/** The queue backend with the local pool behind it, or why there is none to use. */
async function openQueue(url: string | null, context: BackendContext, local: () => Backend): Promise<OpenedBackend | NoQueue> {
  if (url === null) return { reason: "no queue is configured (pool_scanning.queue.url or JACKPOOL_QUEUE_URL)", trouble: false };
  const { QueueBackend } = await import("./queue/backend.js");
  let queue;
  try {
    queue = await QueueBackend.open({ url, shipmentOf: context.shipmentOf, local, log: context.log, warn: context.warn }, context.workers);
  } catch (error) {
    return { reason: error instanceof Error ? error.message : String(error), trouble: true };
  }
  if (queue === null) return { reason: `no live worker on the queue at ${redactCredentials(url)}`, trouble: false };
  context.log(`route: tasks that can be shipped → ${queue.name}; the others → local pool`);
  return { backend: new FallbackBackend(queue, local, context.warn), parallelism: queue.slots };
}

/**
 * Opens the scan's backend. `auto` (with `pool_scanning.enabled`) and `mahavishnu` probe `mcp_server_url`
 * and spawn pools there; then tools are routed (scan/routing.ts) to those pools or to the local pool, and
 * tasks the server loses, and all pooled tasks after it went away, run on the local pool too.
 * When the server is unavailable, `auto` says why in one line and runs locally; `mahavishnu` is an error.
 */
export async function openBackend(context: BackendContext): Promise<OpenedBackend> {
  const { mode, config, workers, keepPools, log, warn, onScaling } = context;
  const autoscaling = autoscalingOf(config, onScaling);
  // One local pool per scan, started on first use: local tools and tasks moved off the server share it.
  let localPool: Backend | undefined;
  const local = (): Backend => (localPool ??= new LocalPoolBackend({ threads: workers, autoscaling }));
  const allLocal = (because: string): OpenedBackend => {
    log(`route: every tool → local pool (${because})`);
    return { backend: local() };
  };
  if (mode === "local") return allLocal("--backend local");
  if (mode === "auto" && !config.enabled) return allLocal("pool_scanning.enabled is false");
  const queueUrl = queueUrlOf(config);
  if (mode === "queue" || (mode === "auto" && queueUrl !== null)) {
    const queued = await openQueue(queueUrl, context, local);
    if ("backend" in queued) return queued;
    if (mode === "queue") throw new UserError(`--backend queue: ${queued.reason}`);
    (queued.trouble ? warn : log)(`queue: ${queued.reason}; trying Mahavishnu`);
  }
  const unavailable = (reason: string): OpenedBackend => {
    if (mode === "mahavishnu") throw new UserError(`--backend mahavishnu: ${reason}`);
    warn(`${reason}; running on the local pool`);
    return allLocal("no Mahavishnu server");
  };
  const onRateLimited = (tool: string, waitMs: number): void =>
    log(`mahavishnu: ${tool} rate limited, waiting ${Math.round(waitMs / 1000)} s`);
  const probe = await probeMahavishnu(config.mcp_server_url, { callerKind: "cli", onRateLimited });
  if (!probe.available) return unavailable(`Mahavishnu server not available: ${probe.reason}`);
  if (context.signal.aborted) {
    await probe.client.disconnect();
    return allLocal("interrupted");
  }
  const server = `Mahavishnu ${probe.version ?? "(no version given)"} at ${probe.client.displayUrl}`;
  const cannotRun = versionCannotRunCommands(probe.version);
  if (cannotRun !== null) {
    await probe.client.disconnect();
    return unavailable(`${server}: ${cannotRun}`);
  }
  log(`mahavishnu: ${server}`);
  let exchanges: TaskExchanges | undefined;
  try {
    // Loaded only here: most scans never use Redis for tasks.
    if (config.pool.exchange === "redis")
      exchanges = await (await import("./mahavishnu/redis-exchange.js")).RedisExchanges.open(config.memory.store);
  } catch (error) {
    await probe.client.disconnect();
    return unavailable(`the Redis task exchange is not available: ${error instanceof Error ? error.message : String(error)}`);
  }
  let primary: MahavishnuBackend;
  try {
    primary = await MahavishnuBackend.start({
      client: probe.client,
      pool: config.pool,
      pools: workers,
      keepPools,
      autoscaling,
      exchanges,
      log,
    });
  } catch (error) {
    await probe.client.disconnect();
    await exchanges?.close();
    return unavailable(`Mahavishnu pools could not be spawned (${error instanceof Error ? error.message : String(error)})`);
  }
  const pooled = new FallbackBackend(primary, local, warn);
  return {
    backend: new RoutedBackend({ pooled, local, localConcurrency: workers, routeOf: context.routeOf, log }),
    searchMemory: (query, limit) => probe.client.searchMemory(query, limit),
  };
}
