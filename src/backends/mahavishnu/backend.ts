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
/**
 * How long the server is asked to watch the worker's screen for completion (pool_execute's `timeout`). Its answer
 * is never read as a result: it comes back at once when the prompt ends in `$`, and only at this timeout when it
 * ends in root's `#`. While it watches, the call holds one of the pool's `max_workers` slots, which a task typed
 * later would wait for: so it watches as briefly as the server allows.
 */
const SERVER_WATCH_SEC = 1;
/**
 * How long a runner may take, from the hand-over to its first heartbeat: a cold single binary writing its assets
 * or a loaded machine takes seconds. Only a command that never ran is given up, after this long.
 */
const START_TIMEOUT_MS = 60_000;
/** After a hand-over that failed (its command most likely never reached a terminal), how long a runner may still show up. */
const FAILED_HANDOVER_GRACE_MS = 3000;
/** A runner enforces its task's timeout itself; past it by this much, its task is given up even though it beats. */
const RUNNER_MARGIN_MS = 30_000;
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
  /** A task whose runner shows no heartbeat this long after the hand-over never started (default 60 s). */
  startTimeoutMs?: number;
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
 * code as the local workers (remote-task-runner.ts) and leaves its outcome in the task exchange. The server's answer
 * is not read: its completion check looks at screen text, so it comes back at once on a `$` prompt, as `failed`
 * once `error:` is anywhere on the worker's screen, and only at its timeout on root's `#` prompt. A task is done
 * when its outcome is there; a task whose pool vanished, whose runner died or never started, ends as
 * `backend-error` so it can be re-run elsewhere.
 */
export class MahavishnuBackend implements Backend {
  readonly name = "mahavishnu";
  readonly concurrency: number;
  private readonly queue: PoolQueue;
  private readonly runner: readonly string[];
  private readonly heartbeatStaleMs: number;
  private readonly startTimeoutMs: number;
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
    this.startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
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

  /**
   * Types the task's command into the pool and waits for the runner's outcome in the exchange. The server's answer
   * says nothing about the task: the runner's heartbeat tells it is alive, from its first beat however slowly it
   * started, and only a hand-over that failed, or no heartbeat within the start timeout, means it never started.
   */
  private async attempt(poolId: string, task: Task, exchange: TaskExchange, signal: AbortSignal): Promise<Attempt> {
    const prompt = remoteTaskPrompt(this.pool.worker_type, this.runner, exchange.runnerArgs, exchange.runnerStderr);
    const handedOverAt = Date.now();
    let failure: { at: number; error: unknown } | null = null;
    void this.client.execute(poolId, prompt, SERVER_WATCH_SEC).then(
      () => undefined,
      (error: unknown) => (failure = { at: Date.now(), error }),
    );
    const deadline = handedOverAt + this.startTimeoutMs + task.timeoutMs + RUNNER_MARGIN_MS;
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
      const failed = failure as { at: number; error: unknown } | null;
      if (failed?.error instanceof ServerUnavailableError)
        this.unavailable ??= `the Mahavishnu server stopped answering (${failed.error.message})`;
      const heartbeatAge = await exchange.heartbeatAgeMs();
      if (heartbeatAge !== null && heartbeatAge > this.heartbeatStaleMs) {
        return lost(`the task runner stopped without writing its result${await this.stderrNote(exchange)}`);
      }
      const neverStarted = heartbeatAge === null ? await this.neverStarted(exchange, handedOverAt, failed) : null;
      if (neverStarted !== null)
        return cancelledAt !== null
          ? { outcome: { kind: "cancelled" }, poolUsable: false }
          : lost(`the task never started (${neverStarted})`);
      if (now > deadline) return lost(`no result within ${Math.round((deadline - handedOverAt) / 1000)} s`);
      await sleep(POLL_MS);
    }
  }

  /** Why a task whose runner has not beaten yet never started, or null while it still may (`failure`: its hand-over's). */
  private async neverStarted(
    exchange: TaskExchange,
    handedOverAt: number,
    failure: { at: number; error: unknown } | null,
  ): Promise<string | null> {
    const now = Date.now();
    if (failure !== null)
      return now - failure.at > FAILED_HANDOVER_GRACE_MS
        ? failure.error instanceof Error
          ? failure.error.message
          : String(failure.error)
        : null;
    if (now - handedOverAt > this.startTimeoutMs)
      return `no runner showed up within ${Math.round(this.startTimeoutMs / 1000)} s${await this.stderrNote(exchange)}`;
    return null;
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
