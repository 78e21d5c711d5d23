import type { RedisClientType } from "@redis/client";
import { WORKER_IDS, workerKey, type ToolEnvironment } from "./protocol.js";

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

/**
 * Each record is a key of its own that expires, and the set WORKER_IDS names them, so finding the live workers reads
 * that set, not every key of a Redis a team's memory store may share (SCAN would).
 */
export async function publishWorker(client: RedisClientType, record: WorkerRecord): Promise<void> {
  await client
    .multi()
    .set(workerKey(record.id), JSON.stringify(record), { expiration: { type: "PX", value: WORKER_RECORD_TTL_MS } })
    .sAdd(WORKER_IDS, record.id)
    .execAsPipeline();
}

export async function withdrawWorker(client: RedisClientType, id: string): Promise<void> {
  await client.multi().del(workerKey(id)).sRem(WORKER_IDS, id).execAsPipeline();
}

/** The workers alive now (their records not yet expired); the ids of dead ones are dropped from the set. */
export async function liveWorkers(client: RedisClientType): Promise<WorkerRecord[]> {
  const ids = await client.sMembers(WORKER_IDS);
  if (ids.length === 0) return [];
  const texts = await client.mGet(ids.map(workerKey));
  const dead = ids.filter((_, index) => texts[index] === null);
  if (dead.length > 0) await client.sRem(WORKER_IDS, dead);
  return texts.flatMap((text) => {
    if (text === null) return [];
    try {
      return [JSON.parse(text) as WorkerRecord];
    } catch {
      return [];
    }
  });
}
