import { Keyv, type KeyvStoreAdapter } from "keyv";
import { isCachedResult } from "./result-shape.js";
import type { CacheKey, CachedResult, ResultStore } from "./store.js";

/** Every jackpool key lives under this namespace, so a shared Redis database stays tidy. */
export const NAMESPACE = "jackpool";

/** What keyv has no API for: counting and expiring entries, which each backend does its own way. */
export interface Maintenance {
  stats(): Promise<{ entries: number; bytes: number | null }>;
  gc(): Promise<number>;
}

/** Whether keyv's serialized entry has expired, or cannot be read and so can never be a hit. */
export function expiredEntry(text: string): boolean {
  try {
    const { expires } = JSON.parse(text) as { expires?: unknown };
    return typeof expires === "number" && Date.now() > expires;
  } catch {
    return true;
  }
}

/** An error's message, for one-line warnings. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A ResultStore on a keyv store adapter: keyv owns keys and TTL; this class owns the policy that a cache never
 * fails a scan. Trouble is a miss (or a dropped write) and at most one warning of each kind per instance; after
 * the store itself failed once (unreachable, timed out), it is not asked again.
 */
export class KeyvResultStore implements ResultStore {
  private readonly keyv: Keyv<CachedResult>;
  private readonly warned = new Set<string>();
  failure: string | undefined;

  constructor(
    adapter: KeyvStoreAdapter,
    private readonly maintenance: Maintenance,
    readonly description: string,
    private readonly onWarning: (line: string) => void,
    /** Says what went wrong with the backing store, in a few words. */
    private readonly problemOf: (error: unknown) => string = errorText,
  ) {
    // Adapters prefix keys with the namespace themselves; throwing lets this class see every failure.
    this.keyv = new Keyv<CachedResult>({ store: adapter, namespace: NAMESPACE, useKeyPrefix: false, throwOnErrors: true });
  }

  async get(key: CacheKey): Promise<CachedResult | undefined> {
    if (this.failure !== undefined) return undefined;
    let entry: unknown;
    try {
      entry = await this.keyv.get(key, { raw: true });
    } catch (error) {
      // A SyntaxError is keyv failing to parse what was stored; anything else is the store itself failing.
      if (error instanceof SyntaxError) return this.drop(key, error.message);
      this.trouble(error);
      return undefined;
    }
    if (entry === undefined) return undefined;
    const value = typeof entry === "object" && entry !== null ? (entry as { value?: unknown }).value : undefined;
    return isCachedResult(value) ? value : this.drop(key, "not a cached result");
  }

  async set(key: CacheKey, value: CachedResult, ttlMs: number): Promise<void> {
    if (this.failure !== undefined) return;
    try {
      await this.keyv.set(key, value, ttlMs);
    } catch (error) {
      this.trouble(error);
    }
  }

  async clear(): Promise<void> {
    if (this.failure !== undefined) return;
    try {
      await this.keyv.clear();
    } catch (error) {
      this.trouble(error);
    }
  }

  async stats(): Promise<{ entries: number; bytes: number | null }> {
    if (this.failure !== undefined) return { entries: 0, bytes: null };
    try {
      return await this.maintenance.stats();
    } catch (error) {
      this.trouble(error);
      return { entries: 0, bytes: null };
    }
  }

  async gc(): Promise<number> {
    if (this.failure !== undefined) return 0;
    try {
      return await this.maintenance.gc();
    } catch (error) {
      this.trouble(error);
      return 0;
    }
  }

  async close(): Promise<void> {
    try {
      await this.keyv.disconnect();
    } catch (error) {
      this.trouble(error);
    }
  }

  private async drop(key: CacheKey, why: string): Promise<undefined> {
    this.warnOnce("corrupt", `memory: dropped unreadable entry ${key} from ${this.description} (${why}); later ones are dropped silently`);
    try {
      await this.keyv.delete(key);
    } catch (error) {
      this.trouble(error);
    }
    return undefined;
  }

  private trouble(error: unknown): void {
    this.failure ??= `${this.description} failed (${this.problemOf(error)})`;
    this.warnOnce("trouble", `memory: ${this.failure}; the scan goes on without it`);
  }

  private warnOnce(kind: string, line: string): void {
    if (this.warned.has(kind)) return;
    this.warned.add(kind);
    this.onWarning(line);
  }
}
