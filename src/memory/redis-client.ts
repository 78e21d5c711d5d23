import type { RedisClientType } from "@redis/client";

// A Redis that is down, or that accepts connections and never answers, costs at most this long to find out: the
// TCP connection and the handshake (HELLO, SELECT, CLIENT SETINFO) together.
const CONNECT_TIMEOUT_MS = 1000;
/** How long one command may wait for its answer, sending included. */
export const COMMAND_TIMEOUT_MS = 2000;

/** Drops the connection; node-redis throws when it is closed already. */
function drop(client: RedisClientType): void {
  if (client.isOpen) client.destroy();
}

/** Rejects after `ms` with "no answer within …"; `onTimeout` runs first. */
function deadline(ms: number, onTimeout: () => void): { expired: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  return { expired, cancel: () => clearTimeout(timer) };
}

/**
 * `work` (a command of `client`), or a rejection once it had no answer within COMMAND_TIMEOUT_MS, which also
 * destroys the client: node-redis's own command timeout ends once a command is sent, and a reply that never
 * comes would hold it forever. Every command after that fails at once.
 */
export async function answered<T>(client: RedisClientType, work: Promise<T>): Promise<T> {
  const limit = deadline(COMMAND_TIMEOUT_MS, () => drop(client));
  work.catch(() => undefined); // destroying the client rejects it after nobody waits for it any more
  try {
    return await Promise.race([work, limit.expired]);
  } finally {
    limit.cancel();
  }
}

/**
 * A client connected to `url`, bounded in time: the memory store and the Mahavishnu task exchange share it, and
 * run each command through `answered`, so neither can stall a scan. Loaded only when a scan uses Redis (start-up
 * cost). Throws an error whose message says in a few words why Redis could not be reached in time.
 */
export async function connectRedis(url: string): Promise<RedisClientType> {
  const { createClient } = await import("@redis/client");
  const client: RedisClientType = createClient({ url, socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: false }, disableOfflineQueue: true });
  let cause: unknown;
  client.on("error", (error: unknown) => (cause ??= error));
  // node-redis bounds only the TCP connection; a server that never answers the handshake would hold connect() forever.
  const limit = deadline(CONNECT_TIMEOUT_MS, () => undefined);
  const connecting = client.connect();
  connecting.catch(() => undefined); // it may fail after the deadline, when nobody waits for it any more
  try {
    await Promise.race([connecting, limit.expired]);
  } catch (error) {
    const reason = cause ?? error; // before drop(), whose own "socket closed" would hide why
    drop(client);
    throw new Error(reason instanceof Error ? reason.message : String(reason));
  } finally {
    limit.cancel();
  }
  return client;
}
