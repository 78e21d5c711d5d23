import { connectQueue } from "../backends/queue/connection.js";
import { liveWorkers, type WorkerRecord } from "../backends/queue/registry.js";
import { queueUrlOf, QUEUE_URL_VARIABLE } from "../backends/queue/url.js";
import { loadConfig } from "../config/load.js";
import { UserError } from "../core/errors.js";
import { redactCredentials } from "../text/redact.js";
import { textTable } from "../text/table.js";

/** `jackpool workers`'s flags. */
export interface WorkersFlags {
  queue?: string;
  config?: string;
  format?: string;
}

/** Seconds or minutes, as an age reads best. */
function age(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

function workersTable(workers: readonly WorkerRecord[]): string {
  const rows = workers.map((worker) => [
    worker.host,
    worker.pid,
    `${worker.environmentId} (jackpool ${worker.environment.jackpool}, Python ${worker.environment.python ?? "?"}, ${Object.keys(worker.environment.tools).length} tools)`,
    worker.slots,
    worker.running.length === 0 ? "-" : worker.running.map((task) => `${task.task} (${task.files} files)`).join(", "),
    age(worker.uptimeMs),
  ]);
  return textTable(["host", "pid", "tool environment", "slots", "running", "age"], rows);
}

/** `jackpool workers status`: the live workers on the queue, as a table or JSON. */
export async function workersCommand(action: string, flags: WorkersFlags, cwd: string): Promise<number> {
  if (action !== "status") throw new UserError(`workers: unknown action "${action}" (expected status)`);
  if (flags.format !== undefined && flags.format !== "text" && flags.format !== "json")
    throw new UserError(`workers: --format: expected text or json, got "${flags.format}"`);
  const url = flags.queue ?? queueUrlOf((await loadConfig(cwd, flags.config)).pool_scanning);
  if (url === null) throw new UserError(`workers: no queue named; pass --queue, set ${QUEUE_URL_VARIABLE} or pool_scanning.queue.url`);
  let client;
  try {
    client = await connectQueue(url, "scanner");
  } catch (error) {
    throw new UserError(`workers: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const workers = (await liveWorkers(client)).sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid);
    if (flags.format === "json") process.stdout.write(`${JSON.stringify(workers, null, 2)}\n`);
    else {
      const where = redactCredentials(url);
      process.stdout.write(
        workers.length === 0
          ? `no live worker on the queue at ${where}\n`
          : `${workers.length} live workers on the queue at ${where}\n${workersTable(workers)}\n`,
      );
    }
    return 0;
  } finally {
    await client.close().catch(() => undefined);
  }
}
