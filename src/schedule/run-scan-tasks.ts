import type { Backend } from "../backends/backend.js";
import type { Task } from "../core/task.js";
import type { TaskRecord } from "../core/task-record.js";
import type { ToolWork } from "../plan/work.js";
import { runTasks, type ScheduleOptions } from "./scheduler.js";
import { replaceRuns, runsToRedo } from "./stopped-runs.js";

/** What a scan's tasks need besides the tasks: the runs they came from, memory's replays, and how to plan more. */
export interface ScanTasksContext {
  /** Every run of the scan, before memory answered part of it. */
  planned: readonly ToolWork[];
  /** The records memory replayed. */
  replayed: readonly TaskRecord[];
  /** Tasks for runs to make again (the distributor, with the scan's limits). */
  plan: (works: readonly ToolWork[]) => Task[];
  /** Told about tasks added after the first batch (progress counts them). */
  onMore?: (tasks: readonly Task[]) => void;
}

/**
 * Runs a scan's tasks, then makes again, as one run over all its files, each run of a tool that stopped at broken
 * input in one of several tasks (schedule/stopped-runs.ts). Returns the fresh records (to remember) and the scan's
 * records (to report: memory's replays and the fresh ones, a redone run standing for what it replaces).
 */
export async function runScanTasks(
  tasks: readonly Task[],
  backend: Backend,
  options: ScheduleOptions,
  context: ScanTasksContext,
): Promise<{ fresh: TaskRecord[]; records: TaskRecord[] }> {
  const fresh = await runTasks(tasks, backend, options);
  const records = [...context.replayed, ...fresh];
  // --fail-fast reports what it got when it stopped: no run starts after that.
  const redo = options.signal.aborted || options.failFast ? [] : runsToRedo(context.planned, records);
  if (redo.length === 0) return { fresh, records };
  const again = context.plan(redo);
  context.onMore?.(again);
  const rerun = await runTasks(again, backend, options);
  return { fresh: [...fresh, ...rerun], records: replaceRuns(records, redo, rerun) };
}
