import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { TaskOutcome } from "../outcome.js";
import type { Task } from "../plan/task.js";
import { killGroup } from "../run/process-group.js";
import type { Backend, RunOptions } from "./backend.js";
import { taskWorkerFile } from "./worker-files.js";
import {
  type ControlMessage,
  type WorkerMessage,
  type WorkerRequest,
  CANCELLED,
  PID,
  QUEUED,
  STATE,
  taskControl,
} from "./worker-messages.js";

/** Options for the local worker-thread pool. */
export interface LocalPoolOptions {
  threads: number;
  workerFile?: string;
}

/** Runs tasks on a piscina pool of worker threads; each thread runs one tool process at a time. */
export class LocalPoolBackend implements Backend {
  readonly name = "local";
  readonly concurrency: number;
  private readonly pool: Piscina<WorkerRequest, TaskOutcome>;
  private closed = false;

  constructor(options: LocalPoolOptions) {
    this.concurrency = options.threads;
    this.pool = new Piscina({
      filename: options.workerFile ?? taskWorkerFile(),
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Number.POSITIVE_INFINITY,
    });
  }

  async run(task: Task, { signal, onStart }: RunOptions): Promise<TaskOutcome> {
    if (signal.aborted) return { kind: "cancelled" };
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
      return await this.pool.run({ task, port: channel.port2, control }, { transferList: [channel.port2], signal: dequeue.signal });
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
    await this.pool.destroy();
  }
}
