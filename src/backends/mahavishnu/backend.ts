import { setTimeout as sleep } from "node:timers/promises";
import type { PoolScanningConfig } from "../../config/schema.js";
import type { TaskOutcome } from "../../core/outcome.js";
import type { Task } from "../../core/task.js";
import { selfCommand } from "../../self/self-command.js";
import type { Backend, RunOptions } from "../backend.js";
import type { MahavishnuClient } from "./client.js";
import { Autoscaler, type AutoscalingOptions } from "../autoscaler.js";
import { ServerUnavailableError } from "./errors.js";
import { PoolQueue } from "./pool-queue.js";
import { remoteTaskPrompt } from "./remote-command.js";
import { FileExchanges } from "./file-exchange.js";
import type { TaskExchange, TaskExchanges } from "./task-exchange.js";

/** How often a waiting task looks at its exchange. */
const POLL_MS = 50;
/** The server waits this much longer than the task's own timeout, which the runner enforces. */
const SERVER_TIMEOUT_MARGIN_SEC = 30;
/** After pool_execute came back, how long a runner that has not started yet may take to show up. */
const START_GRACE_MS = 3000;
/** How long a cancelled task may take to report back before it is given up. */
const CANCEL_WAIT_MS = 5000;

/** Options of the Mahavishnu backend. */
export interface MahavishnuBackendOptions {
  client: MahavishnuClient;
  pool: PoolScanningConfig["pool"];
  /** How many pools to use: each runs one task at a time. */
  pools: number;
  /** Spawn more pools under a backlog, close the extra ones after idleness (`autoscaling`). */
  autoscaling?: Omit<AutoscalingOptions, "backend">;
  /** Leave the pools up at the end, and start by reusing running pools of this name and type (`--keep-pool`). */
  keepPools?: boolean;
  /** Where tasks and their outcomes travel (default: files in a fresh temporary directory; `pool.exchange`). */
  exchanges?: TaskExchanges;
  /** The jackpool command a worker runs a task with (default: this jackpool, by absolute path). */
  runner?: readonly string[];
  /** A runner whose heartbeat is older than this is dead. */
  heartbeatStaleMs?: number;
  log?: (line: string) => void;
}

/** What one attempt on a pool came to, and whether the pool can take the next task. */
interface Attempt {
  outcome: TaskOutcome;
  poolUsable: boolean;
}

function backendError(message: string): TaskOutcome {
  return { kind: "backend-error", message };
}

/** Spawns `count` pools; if any spawn fails, closes the others and throws the failure. */
async function spawnPools(client: MahavishnuClient, pool: PoolScanningConfig["pool"], count: number): Promise<string[]> {
  const spawned = await Promise.allSettled(
    Array.from({ length: count }, () =>
      client.spawn({
        pool_type: pool.pool_type,
        name: pool.name,
        min_workers: pool.min_workers,
        max_workers: pool.max_workers,
        worker_type: pool.worker_type,
      }),
    ),
  );
  const poolIds = spawned.flatMap((result) => (result.status === "fulfilled" ? [result.value.pool_id] : []));
  const failure = spawned.find((result) => result.status === "rejected");
  if (failure) {
    await Promise.all(poolIds.map((poolId) => client.close(poolId).catch(() => undefined)));
    throw failure.reason;
  }
  return poolIds;
}

/**
 * Runs tasks on Mahavishnu pools spawned for this scan (or kept from an earlier one). Each task is a command line that runs the same task
 * code as the local workers (remote-task-runner.ts) and leaves its outcome in the task exchange; the server's answer
 * is only a hint, because it is screen text that may come back before the command finished. A task whose
 * pool vanished, whose runner died or never started, ends as `backend-error` so it can be re-run elsewhere.
 */
export class MahavishnuBackend implements Backend {
  readonly name = "mahavishnu";
  readonly concurrency: number;
  private readonly queue: PoolQueue;
  private readonly runner: readonly string[];
  private readonly heartbeatStaleMs: number;
  private readonly log: (line: string) => void;
  private readonly keepPools: boolean;
  /** Grows by spawning pools, not by pool_scale: a pool runs one task at a time however many workers it has. */
  private readonly scaler: Autoscaler | undefined;
  /** Pools given up on: closed at the end even with `keepPools`, since a lost command may still run there. */
  private readonly retired = new Set<string>();
  private unavailable: string | null = null;
  private taskCount = 0;
  private closed = false;

  private constructor(
    private readonly client: MahavishnuClient,
    /** Every pool this backend used, closed at the end. */
    private readonly poolIds: string[],
    private readonly pool: PoolScanningConfig["pool"],
    private readonly exchanges: TaskExchanges,
    options: MahavishnuBackendOptions,
  ) {
    this.concurrency = poolIds.length;
    this.queue = new PoolQueue(poolIds);
    this.runner = options.runner ?? selfCommand();
    this.heartbeatStaleMs = options.heartbeatStaleMs ?? 5000;
    this.keepPools = options.keepPools ?? false;
    const { autoscaling } = options;
    this.scaler = autoscaling && new Autoscaler(poolIds.length, { ...autoscaling, backend: "mahavishnu" }, (to) => this.resize(to));
    this.log = options.log ?? (() => undefined);
  }

  /**
   * Spawns the pools (with `keepPools`, first reuses running ones named `pool.name` of `pool.pool_type`); if any
   * spawn fails, closes the others it spawned and throws the failure.
   */
  static async start(options: MahavishnuBackendOptions): Promise<MahavishnuBackend> {
    const { client, pool } = options;
    const reused = options.keepPools
      ? (await client.list())
          .filter((info) => info.name === pool.name && info.pool_type === pool.pool_type && info.status === "running")
          .slice(0, options.pools)
          .map((info) => info.pool_id)
      : [];
    if (reused.length > 0) options.log?.(`mahavishnu: reusing ${reused.length} pools named ${pool.name}: ${reused.join(", ")}`);
    const spawned = await spawnPools(client, pool, options.pools - reused.length);
    if (spawned.length > 0)
      options.log?.(`mahavishnu: spawned ${spawned.length} pools (${pool.worker_type}) at ${client.displayUrl}: ${spawned.join(", ")}`);
    const exchanges = options.exchanges ?? (await FileExchanges.open());
    options.log?.(`mahavishnu: tasks and outcomes travel through ${exchanges.description}`);
    return new MahavishnuBackend(client, [...reused, ...spawned], pool, exchanges, options);
  }

  /** Whether new tasks should still come here; false once the server stopped answering or no pool is left. */
  get available(): boolean {
    return this.unavailable === null && this.queue.size > 0;
  }

  /** Why the backend is not available. */
  get unavailableReason(): string {
    return this.unavailable ?? "no Mahavishnu pool left";
  }

  /** Spawns pools up to `to`, or closes idle ones down to it; trouble is logged, never thrown. */
  private async resize(to: number): Promise<void> {
    try {
      if (to > this.queue.size) {
        const spawned = await spawnPools(this.client, this.pool, to - this.queue.size);
        this.poolIds.push(...spawned);
        for (const poolId of spawned) this.queue.add(poolId);
        this.log(`mahavishnu: spawned ${spawned.length} more pools: ${spawned.join(", ")}`);
      } else {
        const surplus = this.queue.removeIdle(this.queue.size - to);
        await Promise.all(surplus.map((poolId) => this.client.close(poolId)));
        this.log(`mahavishnu: closed ${surplus.length} idle pools: ${surplus.join(", ")}`);
      }
    } catch (error) {
      this.log(`mahavishnu: could not resize to ${to} pools: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async run(task: Task, options: RunOptions): Promise<TaskOutcome> {
    if (options.signal.aborted) return { kind: "cancelled" };
    this.scaler?.enqueued();
    const poolId = await this.queue.acquire(options.signal);
    if (options.signal.aborted || poolId === null) {
      this.scaler?.cancelled();
      if (poolId !== null) this.queue.release(poolId);
      return options.signal.aborted ? { kind: "cancelled" } : backendError(`mahavishnu: ${this.unavailableReason}`);
    }
    this.scaler?.started();
    try {
      return await this.runOnPool(poolId, task, options);
    } finally {
      this.scaler?.finished();
    }
  }

  private async runOnPool(poolId: string, task: Task, { signal, onStart }: RunOptions): Promise<TaskOutcome> {
    onStart?.();
    let exchange: TaskExchange;
    try {
      exchange = await this.exchanges.create(`task-${++this.taskCount}`, task);
    } catch (error) {
      // The pool never saw the task: it stays in use, and the task can be re-run elsewhere.
      this.queue.release(poolId);
      return backendError(
        `mahavishnu: could not hand the task over through ${this.exchanges.description} (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    let attempt: Attempt = { outcome: backendError("mahavishnu: the attempt did not finish"), poolUsable: false };
    try {
      attempt = await this.attempt(poolId, task, exchange, signal);
      return attempt.outcome;
    } finally {
      await exchange.remove();
      if (attempt.poolUsable) this.queue.release(poolId);
      else this.retire(poolId, attempt.outcome);
    }
  }

  /** Sends the task to the pool and waits for its outcome in the exchange, watching the runner's heartbeat. */
  private async attempt(poolId: string, task: Task, exchange: TaskExchange, signal: AbortSignal): Promise<Attempt> {
    const prompt = remoteTaskPrompt(this.pool.worker_type, this.runner, exchange.runnerArgs, exchange.runnerStderr);
    const serverTimeoutSec = Math.ceil(task.timeoutMs / 1000) + SERVER_TIMEOUT_MARGIN_SEC;
    let settled: { at: number; error?: unknown } | null = null;
    void this.client.execute(poolId, prompt, serverTimeoutSec).then(
      () => (settled = { at: Date.now() }),
      (error: unknown) => (settled = { at: Date.now(), error }),
    );
    const deadline = Date.now() + serverTimeoutSec * 1000 + START_GRACE_MS;
    let cancelledAt: number | null = null;
    const lost = (why: string): Attempt => ({ outcome: backendError(`mahavishnu pool ${poolId}: ${why}`), poolUsable: false });
    for (;;) {
      const outcome = await exchange.outcome();
      if (outcome) return { outcome, poolUsable: true };
      const now = Date.now();
      if (signal.aborted && cancelledAt === null) {
        await exchange.requestCancel();
        cancelledAt = now;
      }
      if (cancelledAt !== null && now - cancelledAt > CANCEL_WAIT_MS) return { outcome: { kind: "cancelled" }, poolUsable: false };
      const heartbeatAge = await exchange.heartbeatAgeMs();
      const ended = settled as { at: number; error?: unknown } | null;
      if (ended?.error instanceof ServerUnavailableError)
        this.unavailable ??= `the Mahavishnu server stopped answering (${ended.error.message})`;
      if (heartbeatAge !== null && heartbeatAge > this.heartbeatStaleMs) {
        return lost(`the task runner stopped without writing its result${await this.stderrNote(exchange)}`);
      }
      if (heartbeatAge === null && ended !== null && now - ended.at > START_GRACE_MS) {
        if (cancelledAt !== null) return { outcome: { kind: "cancelled" }, poolUsable: false };
        return lost(
          `the task never started (${ended.error instanceof Error ? ended.error.message : "pool_execute returned, but no runner showed up"})`,
        );
      }
      if (now > deadline) return lost(`no result within ${serverTimeoutSec} s`);
      await sleep(POLL_MS);
    }
  }

  private async stderrNote(exchange: TaskExchange): Promise<string> {
    const tail = await exchange.stderrTail();
    return tail ? ` (stderr: ${tail})` : "";
  }

  /** Stops using a pool whose task was lost: the pool may be gone, or a stray command may still run in it. */
  private retire(poolId: string, outcome: TaskOutcome): void {
    this.queue.drop(poolId);
    this.retired.add(poolId);
    this.log(`mahavishnu: stopped using pool ${poolId}${outcome.kind === "backend-error" ? `: ${outcome.message}` : ""}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.scaler?.stop();
    await this.scaler?.settled();
    // Close every pool this scan used, retired ones too (a pool that vanished is fine to close again);
    // with keepPools only the retired ones, and tell where the kept ones are.
    const closing = this.keepPools ? this.poolIds.filter((poolId) => this.retired.has(poolId)) : this.poolIds;
    if (this.keepPools) this.log(`mahavishnu: keeping ${this.poolIds.length - closing.length} pools up for the next scan (--keep-pool)`);
    await Promise.all(
      closing.map((poolId) =>
        this.client.close(poolId).catch((error: unknown) => this.log(`mahavishnu: could not close pool ${poolId}: ${String(error)}`)),
      ),
    );
    await this.client.disconnect();
    await this.exchanges.close();
  }
}
