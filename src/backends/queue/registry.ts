import type { RedisClientType } from "@redis/client";
import { WORKER_KEYS, workerKey, type ToolEnvironment } from "./protocol.js";

/** A worker's record lives this long unless renewed: a worker that died drops out of `workers status` and of `auto`. */
export const WORKER_RECORD_TTL_MS = 6000;
/** How often a live worker renews it. */
export const WORKER_BEAT_MS = 2000;

/** A task a worker is running. */
export interface RunningTask {
  task: string;
  tool: string;
  files: number;
  /** When it started, in the worker's clock (ms since the epoch). */
  since: number;
}

/** What a live worker says of itself. */
export interface WorkerRecord {
  id: string;
  host: string;
  pid: number;
  environment: ToolEnvironment;
  /** environmentId(environment): the queue it takes tasks from. */
  environmentId: string;
  slots: number;
  running: RunningTask[];
  /** When it started, in its clock. */
  started: number;
  /** Milliseconds it has been up, as of its last beat: ages need no agreement between clocks. */
  uptimeMs: number;
}

export async function publishWorker(client: RedisClientType, record: WorkerRecord): Promise<void> {
  await client.set(workerKey(record.id), JSON.stringify(record), { expiration: { type: "PX", value: WORKER_RECORD_TTL_MS } });
}

export async function withdrawWorker(client: RedisClientType, id: string): Promise<void> {
  await client.del(workerKey(id));
}

/** The workers alive now (their records not yet expired). */
export async function liveWorkers(client: RedisClientType): Promise<WorkerRecord[]> {
  const keys: string[] = [];
  for await (const batch of client.scanIterator({ MATCH: WORKER_KEYS, COUNT: 1000 })) keys.push(...batch);
  if (keys.length === 0) return [];
  const texts = await client.mGet(keys);
  return texts.flatMap((text) => {
    if (text === null) return [];
    try {
      return [JSON.parse(text) as WorkerRecord];
    } catch {
      return [];
    }
  });
}
