import type { PoolScanningConfig } from "../../config/schema.js";
import { UserError } from "../../core/errors.js";

/** The environment variable that names the queue's Redis, password included, without writing it in a file. */
export const QUEUE_URL_VARIABLE = "JACKPOOL_QUEUE_URL";

/** The queue's Redis URL: JACKPOOL_QUEUE_URL, else `pool_scanning.queue.url`; null when neither names one. */
export function queueUrlOf(config: Pick<PoolScanningConfig, "queue"> | null, env: NodeJS.ProcessEnv = process.env): string | null {
  const fromEnv = env[QUEUE_URL_VARIABLE]?.trim();
  if (fromEnv) {
    if (!/^rediss?:\/\/[^/\s]+(\/\d+)?$/.test(fromEnv)) throw new UserError(`${QUEUE_URL_VARIABLE}: expected a redis:// or rediss:// URL`);
    return fromEnv;
  }
  return config?.queue.url || null;
}
