import type { MemorySearch } from "../../core/memory-search.js";
import type { Finding } from "../../core/finding.js";
import { isCachedResult } from "./result-shape.js";
import type { CacheKey, CachedResult, ResultStore } from "./store.js";

/**
 * The one record shape jackpool accepts from `pool_search_memory`: a cached result under its cache key, with
 * an absolute expiry. Session-Buddy may hold anything else (conversations, other tools' memories): ignored.
 */
export const SERVER_RECORD_FORMAT = "jackpool-result/1";

/** A record of an earlier result, as a server's memory holds it. */
export interface ServerRecord {
  format: typeof SERVER_RECORD_FORMAT;
  key: string;
  findings: Finding[];
  durationMs: number;
  /** Epoch milliseconds after which the record is no hit. */
  expiresAt: number;
}

/** How many records one search asks for. */
const SEARCH_LIMIT = 10_000;

/** Whether `value` claims to be a jackpool record: only those are jackpool's to judge. */
function isJackpoolRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>).format === SERVER_RECORD_FORMAT;
}

/** Whether a jackpool record is well-formed: a key and a cached result (result-shape.ts), with an expiry. */
function isWellFormed(record: Record<string, unknown>): record is Record<string, unknown> & ServerRecord {
  return (
    typeof record.key === "string" &&
    typeof record.expiresAt === "number" &&
    isCachedResult({ findings: record.findings, durationMs: record.durationMs })
  );
}

/**
 * The local store, then the server's memory: a local miss is looked up among the jackpool records the server
 * returns for one search (made once, on the first local miss). Writes and maintenance go to the local store
 * only. A failed search is a miss for every key, with one note.
 */
export class ServerBackedStore implements ResultStore {
  readonly description: string;
  /** How many lookups the server's memory answered. */
  serverHits = 0;
  private records: Promise<Map<string, CachedResult>> | undefined;

  constructor(
    private readonly local: ResultStore,
    private readonly search: MemorySearch,
    private readonly note: (line: string) => void,
    private readonly warn: (line: string) => void,
  ) {
    this.description = `${local.description}, then the Mahavishnu server's memory`;
  }

  private load(): Promise<Map<string, CachedResult>> {
    this.records ??= this.search(SERVER_RECORD_FORMAT, SEARCH_LIMIT).then(
      (found) => {
        const now = Date.now();
        const ours = found.filter(isJackpoolRecord);
        const wellFormed = ours.filter(isWellFormed);
        if (wellFormed.length < ours.length) {
          this.warn(
            `memory: ignored ${ours.length - wellFormed.length} malformed ${SERVER_RECORD_FORMAT} records from the Mahavishnu server's memory`,
          );
        }
        const valid = wellFormed.filter((record) => record.expiresAt > now);
        this.note(`memory: the Mahavishnu server returned ${found.length} records, ${valid.length} of them usable jackpool results`);
        return new Map(valid.map((record) => [record.key, { findings: record.findings, durationMs: record.durationMs }]));
      },
      (error: unknown) => {
        this.note(
          `memory: pool_search_memory failed (${error instanceof Error ? error.message : String(error)}); no results from the server`,
        );
        return new Map();
      },
    );
    return this.records;
  }

  async get(key: CacheKey): Promise<CachedResult | undefined> {
    const local = await this.local.get(key);
    if (local) return local;
    const remote = (await this.load()).get(key);
    if (remote) this.serverHits++;
    return remote;
  }

  set(key: CacheKey, value: CachedResult, ttlMs: number): Promise<void> {
    return this.local.set(key, value, ttlMs);
  }

  clear(): Promise<void> {
    return this.local.clear();
  }

  stats(): Promise<{ entries: number; bytes: number | null }> {
    return this.local.stats();
  }

  gc(): Promise<number> {
    return this.local.gc();
  }

  close(): Promise<void> {
    return this.local.close();
  }

  get failure(): string | undefined {
    return this.local.failure;
  }
}
