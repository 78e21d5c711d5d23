import type { TaskOutcome } from "../core/outcome.js";
import type { Task } from "../core/task.js";

/** Per-call options: one AbortSignal for the whole scan, and a hook for when the task really starts. */
export interface RunOptions {
  signal: AbortSignal;
  onStart?: () => void;
}

/**
 * Where tasks run. The scheduler depends only on this, so every backend (local threads, Mahavishnu pools)
 * passes the same contract suite. `run` never rejects: trouble comes back as an outcome.
 */
export interface Backend {
  readonly name: string;
  /** How many tasks run at once. */
  readonly concurrency: number;
  run(task: Task, options: RunOptions): Promise<TaskOutcome>;
  /** Stops the workers and kills anything still running; safe to call twice. */
  close(): Promise<void>;
}
