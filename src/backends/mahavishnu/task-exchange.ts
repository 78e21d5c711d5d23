import type { TaskOutcome } from "../../core/outcome.js";
import type { Task } from "../../core/task.js";

/** How often a live runner renews its heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 500;

/**
 * jackpool's side of the channel through which one task reaches a remote task runner (remote-task-runner.ts)
 * and its full outcome comes back: the server's `output` is screen text without an exit code, so it cannot.
 * The channel holds the task, the runner's heartbeat, a cancel request and the outcome.
 */
export interface TaskExchange {
  /** What follows `jackpool __remote-task` on the worker's command line to run this task. */
  readonly runnerArgs: readonly string[];
  /** Where the runner's stderr goes, on the worker's machine. */
  readonly runnerStderr: string;
  /** The outcome the runner left, or null while there is none. */
  outcome(): Promise<TaskOutcome | null>;
  /** Milliseconds since the runner's last heartbeat, or null when it never started. */
  heartbeatAgeMs(): Promise<number | null>;
  /** Asks the runner to stop the task. */
  requestCancel(): Promise<void>;
  /** The end of the runner's stderr, to explain a runner that died; empty when it cannot be seen. */
  stderrTail(): Promise<string>;
  /** Deletes everything of this task. */
  remove(): Promise<void>;
}

/** Where one scan's task exchanges live (`pool.exchange`): files on a shared filesystem, or Redis. */
export interface TaskExchanges {
  /** Says where, for the log. */
  readonly description: string;
  /** Puts `task` where a runner can read it; `name` is unique within the scan. */
  create(name: string, task: Task): Promise<TaskExchange>;
  /** Removes whatever is left and lets go of connections. */
  close(): Promise<void>;
}

/** The runner's side of one task's exchange. */
export interface RunnerChannel {
  task(): Promise<Task>;
  /** Shows jackpool the runner is alive. */
  beat(): Promise<void>;
  cancelRequested(): Promise<boolean>;
  /** Leaves the outcome, as one atomic write. */
  writeOutcome(outcome: TaskOutcome): Promise<void>;
  close(): Promise<void>;
}
