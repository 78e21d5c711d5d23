// The command a Mahavishnu worker runs for one jackpool task: `node remote-task.js <task dir>`. It runs the
// same executeTask the local worker threads run and writes the full outcome to the task's directory, because
// the server reports only screen text (see src/backends/mahavishnu/task-exchange.ts). It prints nothing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CANCEL_FILE, HEARTBEAT_FILE, HEARTBEAT_INTERVAL_MS, TASK_FILE, writeOutcome } from "../src/backends/mahavishnu/task-exchange.js";
import type { TaskOutcome } from "../src/outcome.js";
import type { Task } from "../src/plan/task.js";
import { executeTask } from "../src/run/execute-task.js";

/** How often the runner looks for a cancel request. */
const CANCEL_POLL_MS = 100;

async function main(dir: string): Promise<void> {
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

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write("usage: remote-task.js <task dir>\n");
  process.exitCode = 2;
} else {
  await main(dir);
}
