import type { TaskOutcome } from "../../core/outcome.js";
import { executeTask } from "../../execute/execute-task.js";
import { FileRunnerChannel } from "./file-exchange.js";
import { REDIS_RUNNER_FLAG, RedisRunnerChannel } from "./redis-exchange.js";
import { HEARTBEAT_INTERVAL_MS, type RunnerChannel } from "./task-exchange.js";

/** How often the runner looks for a cancel request. */
const CANCEL_POLL_MS = 100;

/**
 * The hidden subcommand a Mahavishnu worker runs for one task: `jackpool __remote-task <task dir>`, or
 * `jackpool __remote-task --redis <url> <key prefix>` when the server does not share jackpool's filesystem.
 */
export const REMOTE_TASK_COMMAND = "__remote-task";

/** The channel the command line names. */
function openChannel(args: readonly string[]): Promise<RunnerChannel> {
  const [first, url, prefix] = args;
  if (first === REDIS_RUNNER_FLAG && url !== undefined && prefix !== undefined) return RedisRunnerChannel.open(url, prefix);
  if (first === undefined || first === REDIS_RUNNER_FLAG)
    throw new Error(`usage: jackpool ${REMOTE_TASK_COMMAND} <task dir> | ${REDIS_RUNNER_FLAG} <url> <key prefix>`);
  return Promise.resolve(new FileRunnerChannel(first));
}

/**
 * Runs the task the channel holds the way a local worker thread does (executeTask) and leaves the full
 * outcome there, because the server reports only screen text (see task-exchange.ts). Prints nothing.
 */
export async function runRemoteTask(args: readonly string[]): Promise<void> {
  const channel = await openChannel(args);
  const cancel = new AbortController();
  // A beat or poll that fails is skipped: a runner that cannot reach jackpool is seen as dead and its task re-run.
  const beat = (): void => void channel.beat().catch(() => undefined);
  beat();
  const heartbeat = setInterval(beat, HEARTBEAT_INTERVAL_MS);
  const cancelWatch = setInterval(() => {
    void channel.cancelRequested().then(
      (requested) => requested && cancel.abort(),
      () => undefined,
    );
  }, CANCEL_POLL_MS);
  let outcome: TaskOutcome;
  try {
    outcome = await executeTask(await channel.task(), { signal: cancel.signal });
  } catch (error) {
    outcome = { kind: "backend-error", message: `remote task runner failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearInterval(heartbeat);
    clearInterval(cancelWatch);
  }
  try {
    await channel.writeOutcome(outcome);
  } finally {
    await channel.close();
  }
}
