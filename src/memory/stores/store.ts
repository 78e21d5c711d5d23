import type { Finding } from "../../core/finding.js";

/** A canonical cache key (see memory/key.ts); branded so paths and keys never mix. */
export type CacheKey = string & { readonly __brand: "CacheKey" };

/** What one cache entry remembers: a tool's full findings for one file (or one whole-project run, or a manifest). */
export interface CachedResult {
  findings: Finding[];
  durationMs: number;
  /**
   * Set in a manifest (memory/recall.ts): the per-file results it holds, by file, with the key each was stored
   * under; `findings` are theirs, each under its own file's path.
   */
  files?: Readonly<Record<string, { key: CacheKey; durationMs: number }>>;
  /**
   * Set on a file's result when the file is broken in a way that stops its tool's whole run (refurb at a syntax
   * error): a scan that meets it runs the tool once over all its files, as a direct run does (memory/recall.ts).
   */
  stopsRun?: true;
}

/** Where cached results live; every store passes test/store-contract.ts. */
export interface ResultStore {
  /** Where the store is, for messages: "file store at /x/.crackerjack/cache" or "redis://127.0.0.1:6399/0". */
  readonly description: string;
  /**
   * Why the store stopped answering, or undefined while it works. After a failure every read is a miss and every
   * write is dropped, so a store that hangs costs a scan one timeout, not one per entry.
   */
  readonly failure: string | undefined;
  /** The entry under `key`; a corrupt or unreadable entry is a miss plus one warning, never an error. */
  get(key: CacheKey): Promise<CachedResult | undefined>;
  /** Stores `value` under `key` until `ttlMs` from now. */
  set(key: CacheKey, value: CachedResult, ttlMs: number): Promise<void>;
  /** Drops every entry of this store. */
  clear(): Promise<void>;
  /** How many entries are stored, and their size on disk (null when the store cannot tell). */
  stats(): Promise<{ entries: number; bytes: number | null }>;
  /** Drops expired entries and returns how many. */
  gc(): Promise<number>;
  /** Releases files and connections; the store is not used afterwards. */
  close(): Promise<void>;
}
