import type { ToolWork } from "../plan/work.js";
import type { TaskRecord } from "../core/task-record.js";
import { toolOfTask } from "../tools/registry.js";

/** Which of a tool's runs a task or replayed record belongs to: the tool and its settings' arguments. */
function runOf(tool: string, userArgs: readonly string[]): string {
  return JSON.stringify([tool, userArgs]);
}

function sameFiles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((file, index) => file === b[index]);
}

/**
 * A tool that stops at broken input (refurb, through mypy) reports that input's error and nothing else. When such
 * a run stopped in one of several tasks (chunks, or the files memory did not answer beside replayed ones), the other
 * tasks' findings are ones the tool itself would never have printed, and which broken file it names depends on its
 * file order. The tool's answer is then one run over all of its files, in order, as running it directly gives.
 * Returns those runs (`planned`: every run of the scan before memory split it), to replace the run's records.
 */
export function runsToRedo(planned: readonly ToolWork[], records: readonly TaskRecord[]): ToolWork[] {
  const redo: ToolWork[] = [];
  for (const work of planned) {
    if (toolOfTask(work)?.spec.brokenInput !== "stops-run" || work.scope === "whole-project") continue;
    const own = records.filter((record) => runOf(record.task.tool, record.task.userArgs) === runOf(work.tool, work.userArgs));
    const stopped = own.some((record) => record.outcome.kind === "completed" && record.outcome.coverage?.kind === "stopped");
    const [only, ...others] = own;
    const alreadyOneRun = only !== undefined && others.length === 0 && !only.memory && sameFiles(only.task.files, work.files);
    if (stopped && !alreadyOneRun) redo.push({ ...work, oneRun: true });
  }
  return redo;
}

/** The records of a scan with those of the runs in `redone` replaced by the records of their single runs. */
export function replaceRuns(records: readonly TaskRecord[], redone: readonly ToolWork[], rerun: readonly TaskRecord[]): TaskRecord[] {
  const replaced = new Set(redone.map((work) => runOf(work.tool, work.userArgs)));
  return [...records.filter((record) => !replaced.has(runOf(record.task.tool, record.task.userArgs))), ...rerun];
}
