import { setMaxListeners } from "node:events";
import type { Backend } from "../backends/backend.js";
import type { TaskOutcome } from "../core/outcome.js";
import { isFailure } from "../core/outcome.js";
import type { Task } from "../core/task.js";
import type { TaskRecord } from "../core/task-record.js";

/** Progress callbacks; the scheduler itself prints nothing. */
export interface SchedulerHooks {
  onStart?: (task: Task) => void;
  onEnd?: (record: TaskRecord) => void;
}

/** How to run a batch of tasks. */
export interface ScheduleOptions {
  signal: AbortSignal;
  /** Stop starting work after the first task with findings or a failure. */
  failFast: boolean;
  hooks?: SchedulerHooks;
}

function shouldStopEarly(outcome: TaskOutcome): boolean {
  return isFailure(outcome) || (outcome.kind === "completed" && outcome.findings.length > 0);
}

/**
 * Runs every task on the backend (in the given order: the backend queues them) and returns their records
 * in that order. A task whose worker died is retried once; its result is never silently dropped.
 */
export async function runTasks(tasks: readonly Task[], backend: Backend, options: ScheduleOptions): Promise<TaskRecord[]> {
  const stop = new AbortController();
  // Every queued task listens on this signal (piscina adds one listener per run): hundreds are expected.
  setMaxListeners(tasks.length + 10, stop.signal);
  const onAbort = (): void => stop.abort();
  // A signal aborted before the tasks got here (Ctrl-C while tools were probed) fires no event: no task may start.
  if (options.signal.aborted) stop.abort();
  else options.signal.addEventListener("abort", onAbort, { once: true });
  const runOnce = (task: Task): Promise<TaskOutcome> =>
    backend.run(task, { signal: stop.signal, onStart: () => options.hooks?.onStart?.(task) });
  try {
    return await Promise.all(
      tasks.map(async (task): Promise<TaskRecord> => {
        let record: TaskRecord = { task, outcome: await runOnce(task), attempts: 1 };
        if (record.outcome.kind === "backend-error" && !stop.signal.aborted) {
          const retriedBecause = record.outcome.message;
          record = { task, outcome: await runOnce(task), attempts: 2, retriedBecause };
        }
        options.hooks?.onEnd?.(record);
        if (options.failFast && shouldStopEarly(record.outcome)) stop.abort();
        return record;
      }),
    );
  } finally {
    options.signal.removeEventListener("abort", onAbort);
  }
}
