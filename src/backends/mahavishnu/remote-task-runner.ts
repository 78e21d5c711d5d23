import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CANCEL_FILE, HEARTBEAT_FILE, HEARTBEAT_INTERVAL_MS, TASK_FILE, writeOutcome } from "./task-exchange.js";
import type { TaskOutcome } from "../../outcome.js";
import type { Task } from "../../plan/task.js";
import { executeTask } from "../../run/execute-task.js";

/** How often the runner looks for a cancel request. */
const CANCEL_POLL_MS = 100;

/** The hidden subcommand a Mahavishnu worker runs for one task: `jackpool __remote-task <task dir>`. */
export const REMOTE_TASK_COMMAND = "__remote-task";

/**
 * Runs the task in `dir` the way a local worker thread does (executeTask) and writes the full outcome there,
 * because the server reports only screen text (see task-exchange.ts). Prints nothing.
 */
export async function runRemoteTask(dir: string): Promise<void> {
  const cancel = new AbortController();
  const beat = (): void => writeFileSync(path.join(dir, HEARTBEAT_FILE), String(Date.now()));
  beat();
  const heartbeat = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  const cancelWatch = setInterval(() => {
    if (existsSync(path.join(dir, CANCEL_FILE))) cancel.abort();
  }, CANCEL_POLL_MS);
  let outcome: TaskOutcome;
  try {
    const task = JSON.parse(readFileSync(path.join(dir, TASK_FILE), "utf8")) as Task;
    outcome = await executeTask(task, { signal: cancel.signal });
  } catch (error) {
    outcome = { kind: "backend-error", message: `remote task runner failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearInterval(heartbeat);
    clearInterval(cancelWatch);
  }
  await writeOutcome(dir, outcome);
}
