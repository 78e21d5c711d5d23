import { MessageChannel } from "node:worker_threads";
import type { Piscina } from "piscina";
import type { TaskOutcome } from "../../core/outcome.js";
import type { Task } from "../../core/task.js";
import { killGroup } from "../../execute/process-group.js";
import { Autoscaler, type AutoscalingOptions } from "../autoscaler.js";
import type { Backend, RunOptions } from "../backend.js";
import { taskWorkerFile } from "../../self/worker-files.js";
import { type ControlMessage, type WorkerMessage, type WorkerRequest, CANCELLED, PID, QUEUED, STATE, taskControl } from "./messages.js";

/** Options for the local worker-thread pool. */
export interface LocalPoolOptions {
  threads: number;
  workerFile?: string;
  /** Grow beyond `threads` under a backlog and shrink after idleness (`autoscaling`); fixed size without. */
  autoscaling?: Omit<AutoscalingOptions, "backend">;
}

/**
 * Runs tasks on a piscina pool of worker threads; each thread runs one tool process at a time.
 * piscina cannot resize a live pool (its maxThreads is fixed at construction) and starts threads eagerly up to
 * maxThreads whenever work waits. So with autoscaling, piscina may go up to `autoscaling.max` and drops threads
 * idle for the scale-down time, while this class lets only `limit` tasks at a time reach it: the autoscaler
 * moves that limit, and piscina starts threads to match.
 */
export class LocalPoolBackend implements Backend {
  readonly name = "local";
  readonly concurrency: number;
  private readonly options: LocalPoolOptions;
  private pool: Piscina<WorkerRequest, TaskOutcome> | undefined;
  private starting: Promise<Piscina<WorkerRequest, TaskOutcome>> | undefined;
  private readonly scaler: Autoscaler | undefined;
  private limit: number;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(options: LocalPoolOptions) {
    const { threads, autoscaling } = options;
    this.options = options;
    this.concurrency = threads;
    this.limit = threads;
    this.scaler = autoscaling && new Autoscaler(threads, { ...autoscaling, backend: "local" }, (to) => Promise.resolve(this.resize(to)));
  }

  /** Worker threads alive right now. */
  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  // Threads boot with the first task, and piscina loads then: a scan that memory answers entirely pays for neither.
  private started(): Promise<Piscina<WorkerRequest, TaskOutcome>> {
    const { threads, autoscaling, workerFile } = this.options;
    return (this.starting ??= import("piscina").then(({ Piscina }) => {
      this.pool = new Piscina({
        filename: workerFile ?? taskWorkerFile(),
        minThreads: autoscaling ? Math.min(autoscaling.min, threads) : threads,
        maxThreads: autoscaling ? Math.max(autoscaling.max, threads) : threads,
        idleTimeout: autoscaling ? autoscaling.idleMs : Number.POSITIVE_INFINITY,
      });
      return this.pool;
    }));
  }

  private resize(to: number): void {
    this.limit = to;
    while (this.active < this.limit && this.waiting.length > 0) this.waiting.shift()!();
  }

  /** Waits for one of `limit` slots; false when aborted first. */
  private acquire(signal: AbortSignal): Promise<boolean> {
    this.scaler?.enqueued();
    const take = (): boolean => {
      this.active++;
      this.scaler?.started();
      return true;
    };
    if (this.active < this.limit) return Promise.resolve(take());
    return new Promise((resolve) => {
      const waiter = (): void => {
        signal.removeEventListener("abort", onAbort);
        resolve(take());
      };
      const onAbort = (): void => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        this.scaler?.cancelled();
        resolve(false);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaseSlot(): void {
    this.active--;
    this.scaler?.finished();
    if (this.active < this.limit) this.waiting.shift()?.();
  }

  async run(task: Task, options: RunOptions): Promise<TaskOutcome> {
    if (options.signal.aborted || !(await this.acquire(options.signal))) return { kind: "cancelled" };
    try {
      return await this.runOnPool(task, options);
    } finally {
      this.releaseSlot();
    }
  }

  private async runOnPool(task: Task, { signal, onStart }: RunOptions): Promise<TaskOutcome> {
    const channel = new MessageChannel();
    const control = taskControl();
    // Aborts piscina's copy of the task only while it has not started: a started worker is never terminated
    // under its tool (that could orphan the tool), it is asked to cancel and kills the tool itself.
    const dequeue = new AbortController();
    const onAbort = (): void => {
      if (Atomics.compareExchange(control, STATE, QUEUED, CANCELLED) === QUEUED) dequeue.abort();
      else channel.port1.postMessage({ type: "cancel" } satisfies ControlMessage);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    channel.port1.on("message", (message: WorkerMessage) => {
      if (message.type === "started") onStart?.();
    });
    try {
      return await (
        await this.started()
      ).run({ task, port: channel.port2, control }, { transferList: [channel.port2], signal: dequeue.signal });
    } catch (error) {
      if (signal.aborted) return { kind: "cancelled" };
      return { kind: "backend-error", message: `worker thread died: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      signal.removeEventListener("abort", onAbort);
      channel.port1.close();
      // A worker thread that died mid-task cannot kill its tool: the pid it shared lets this thread do it.
      const pid = Atomics.load(control, PID);
      if (pid !== 0) await killGroup(pid);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.scaler?.stop();
    // A pool still starting is destroyed once it exists, so its threads never outlive the scan.
    await (await this.starting?.catch(() => undefined))?.destroy();
  }
}
