import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import type { TaskOutcome } from "../outcome.js";
import type { Task } from "../plan/task.js";
import { killGroup } from "../run/process-group.js";
import type { Backend, RunOptions } from "./backend.js";
import type { WorkerMessage, WorkerRequest } from "./worker-messages.js";

/** The compiled worker next to the compiled backend (build/js/workers/task-worker.js). */
export const DEFAULT_WORKER_FILE = fileURLToPath(new URL("../../workers/task-worker.js", import.meta.url));

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
      filename: options.workerFile ?? DEFAULT_WORKER_FILE,
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Number.POSITIVE_INFINITY,
    });
  }

  async run(task: Task, { signal, onStart }: RunOptions): Promise<TaskOutcome> {
    if (signal.aborted) return { kind: "cancelled" };
    const channel = new MessageChannel();
    let pid: number | undefined;
    channel.port1.on("message", (message: WorkerMessage) => {
      if (message.type === "started") onStart?.();
      else pid = message.pid;
    });
    try {
      return await this.pool.run({ task, port: channel.port2 }, { transferList: [channel.port2], signal });
    } catch (error) {
      if (signal.aborted) return { kind: "cancelled" };
      return { kind: "backend-error", message: `worker thread died: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      channel.port1.close();
      // The worker kills its tool on timeout; this catches the cases where the worker itself is gone.
      if (pid !== undefined) await killGroup(pid);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.destroy();
  }
}
