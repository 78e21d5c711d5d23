import { setMaxListeners } from "node:events";
import os from "node:os";
import { queueUrlOf, QUEUE_URL_VARIABLE } from "../backends/queue/url.js";
import { UserError } from "../core/errors.js";
import { workerTools } from "../worker/environment.js";
import { runQueueWorker } from "../worker/worker.js";

/** `jackpool worker`'s flags. */
export interface WorkerFlags {
  queue?: string;
  slots?: number;
  /** Stop after this many seconds without a task: CI runners that serve one scan, then end. */
  untilIdleSec?: number;
}

/**
 * `jackpool worker`: finds this machine's tools, then takes tasks from the queue until interrupted (or idle that long).
 * The URL comes from --queue or JACKPOOL_QUEUE_URL (where a password stays out of the process list).
 */
export async function workerCommand(flags: WorkerFlags, signal: AbortSignal): Promise<number> {
  const url = flags.queue ?? queueUrlOf(null);
  if (url === undefined || url === null)
    throw new UserError(`worker: no queue named; pass --queue redis://host:6379/0 or set ${QUEUE_URL_VARIABLE}`);
  if (!/^rediss?:\/\/[^/\s]+(\/\d+)?$/.test(url)) throw new UserError("worker: --queue: expected a redis:// or rediss:// URL");
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  // Every tool's version probe and every running task listen on it.
  setMaxListeners(100, signal);
  const tools = await workerTools(signal);
  if (tools.programs.size === 0) throw new UserError("worker: no tool found; install them with: jackpool tools install");
  try {
    await runQueueWorker({
      url,
      slots: flags.slots ?? os.availableParallelism(),
      tools,
      log,
      signal,
      ...(flags.untilIdleSec === undefined ? {} : { idleMs: flags.untilIdleSec * 1000 }),
    });
  } catch (error) {
    throw new UserError(`worker: ${error instanceof Error ? error.message : String(error)}`);
  }
  return 0;
}
