import KeyvRedis from "@keyv/redis";
import { KeyvResultStore, NAMESPACE, expiredEntry, type Maintenance } from "./keyv-store.js";
import { redactCredentials } from "../../text/redact.js";
import { connectRedis, redisProblem } from "../../net/redis-client.js";
import type { ResultStore } from "./store.js";
import { unavailableStore } from "./unavailable-store.js";

// keyv's expiry inside each value decides what is a hit. Redis drops an entry this long after that on its own,
// so nothing piles up where nobody runs gc, yet gc still finds and counts what has expired.
const REDIS_EXPIRY_GRACE_MS = 24 * 60 * 60 * 1000;

/** @keyv/redis with jackpool's expiry and the counting keyv has no API for, both limited to jackpool's namespace. */
class RedisAdapter extends KeyvRedis<string> implements Maintenance {
  override set(key: string, value: string, ttl?: number): Promise<void> {
    return super.set(key, value, ttl === undefined ? undefined : ttl + REDIS_EXPIRY_GRACE_MS);
  }

  /** Counts jackpool's keys; Redis cannot tell their size cheaply. */
  async stats(): Promise<{ entries: number; bytes: null }> {
    let entries = 0;
    const all = this.iterator(NAMESPACE);
    while (!(await all.next()).done) entries++;
    return { entries, bytes: null };
  }

  /** Deletes jackpool's entries past keyv's expiry; returns how many. */
  async gc(): Promise<number> {
    let dropped = 0;
    for await (const [key, value] of this.iterator(NAMESPACE)) {
      if (value !== undefined && expiredEntry(value) && (await this.delete(key))) dropped++;
    }
    return dropped;
  }
}

/**
 * Opens the Redis store at `url` (redis://host:port/db); when Redis cannot be reached or does not answer in time,
 * warns once and stands in an empty store. Every command is bounded too (redis-client.ts): one that gets no
 * answer in time turns the store off for the rest of the run, with one warning.
 */
export async function openRedisStore(url: string, onWarning: (line: string) => void): Promise<ResultStore> {
  const description = redactCredentials(url);
  let client;
  try {
    client = await connectRedis(url);
  } catch (error) {
    return unavailableStore(description, error, onWarning);
  }
  // throwOnErrors: @keyv/redis otherwise answers a failed command as a miss, and the store would keep asking.
  const adapter = new RedisAdapter(client, { throwOnErrors: true });
  return new KeyvResultStore(adapter, adapter, description, onWarning, redisProblem);
}
