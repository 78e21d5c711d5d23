import { createClient, type RedisClientType } from "@redis/client";
import { redisProblem } from "../../net/redis-client.js";
import { redactCredentials } from "../../text/redact.js";

/** A Redis that is down costs at most this long to find out. */
const CONNECT_TIMEOUT_MS = 2000;
/** A worker that lost Redis tries again at growing intervals up to this. */
const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * A client for the queue's Redis, as BullMQ takes it (it duplicates it for its blocking reads, so there is no socket
 * timeout: a blocked read is silent by design). The scanning side never reconnects and queues nothing while
 * disconnected: a Redis that goes away fails its calls at once, and the tasks move to the local pool. A worker
 * reconnects, for as long as it runs. ACL users, passwords and TLS (`rediss://`) come from the URL.
 */
export async function connectQueue(url: string, side: "scanner" | "worker"): Promise<RedisClientType> {
  const client: RedisClientType = createClient({
    url,
    disableOfflineQueue: side === "scanner",
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      reconnectStrategy: side === "scanner" ? false : (retries: number) => Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS),
    },
  });
  let cause: unknown;
  client.on("error", (error: unknown) => (cause ??= error));
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot reach the queue's Redis at ${redactCredentials(url)} (${redisProblem(cause ?? error)})`);
  }
  return client;
}
