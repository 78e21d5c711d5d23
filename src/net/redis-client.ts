import { SocketTimeoutError, createClient, type RedisClientType } from "@redis/client";

// A Redis that is down costs at most this long to find out.
const CONNECT_TIMEOUT_MS = 1000;
/**
 * How long Redis may stay silent while jackpool waits for an answer: to the handshake (HELLO, SELECT, CLIENT
 * SETINFO) or to any command. node-redis's own command timeout ends once a command is sent, so this is its socket
 * timeout, which drops the connection and fails every command waiting on it.
 */
const ANSWER_TIMEOUT_MS = 2000;
/** An idle connection is pinged this often, so a silent socket means a Redis that stopped answering, never a quiet scan. */
const PING_INTERVAL_MS = 1000;

/** What went wrong with Redis, in a few words: node-redis's socket timeout says it twice and in milliseconds. */
export function redisProblem(error: unknown): string {
  if (error instanceof SocketTimeoutError) return `no answer within ${ANSWER_TIMEOUT_MS} ms`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A client connected to `url`, every exchange bounded in time and never retried: the memory store and the
 * Mahavishnu task exchange share it, so neither can stall a scan (both load this module only when a scan uses
 * Redis: start-up cost). Throws an error saying in a few words why Redis could not be reached.
 */
export async function connectRedis(url: string): Promise<RedisClientType> {
  const client: RedisClientType = createClient({
    url,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, socketTimeout: ANSWER_TIMEOUT_MS, reconnectStrategy: false },
    pingInterval: PING_INTERVAL_MS,
    disableOfflineQueue: true,
  });
  let cause: unknown;
  client.on("error", (error: unknown) => (cause ??= error));
  try {
    await client.connect();
  } catch (error) {
    throw new Error(redisProblem(cause ?? error));
  }
  return client;
}
