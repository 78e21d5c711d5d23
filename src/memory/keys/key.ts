import { sha256 } from "../../files/content.js";
import type { CacheKey } from "../stores/store.js";

/** Bumped when what a cache entry means changes; old entries then simply stop matching. */
export const CACHE_SCHEMA_VERSION = 5;

/** Everything a tool's result depends on besides the files being checked. */
export interface ToolFingerprint {
  tool: string;
  toolVersion: string;
  /** The adapter's arguments without files, with per-run temp paths blanked, plus the user's `args`. */
  args: readonly string[];
  /** Project-relative path → content hash of every config file that affects the tool. */
  configFiles: ReadonlyMap<string, string>;
  /** For type-aware tools, a hash of the packages installed where the tool runs; null for the others. */
  environment: string | null;
}

/** A hash's 64-bit prefix, for logs that only explain misses: it tells contents apart well enough for that. */
export function shortHash(hash: string): string {
  return hash.slice(0, 16);
}

function sortedEntries(map: ReadonlyMap<string, string>): [string, string][] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** What a cached result covers: one file's findings, and the project files those findings depend on. */
export interface CacheSubject {
  /** [path, content hash] of the file whose findings are cached; null for a whole-project run. */
  file: readonly [string, string] | null;
  /** path → content hash of every other input of a whole-project result (empty for per-file results). */
  inputs: ReadonlyMap<string, string>;
  /**
   * For a tool whose results depend on imports, the Merkle digest of the file's import component
   * (memory/import-components.ts), which covers the interface of every project file it imports; null for the others.
   */
  imports: string | null;
}

function fingerprintParts(fingerprint: ToolFingerprint): unknown[] {
  return [fingerprint.tool, fingerprint.toolVersion, fingerprint.args, sortedEntries(fingerprint.configFiles), fingerprint.environment];
}

/**
 * The one function that makes result keys: a hash over sorted, versioned inputs with project-relative paths,
 * so the same content gives the same key on every machine, clone and branch.
 */
export function cacheKey(fingerprint: ToolFingerprint, subject: CacheSubject): CacheKey {
  const canonical = JSON.stringify([
    CACHE_SCHEMA_VERSION,
    ...fingerprintParts(fingerprint),
    subject.file,
    sortedEntries(subject.inputs),
    subject.imports,
  ]);
  return sha256(canonical) as CacheKey;
}

/** The key of the manifest of one tool run over `files` with these settings (see memory/recall.ts). */
export function manifestKey(fingerprint: ToolFingerprint, files: readonly string[]): CacheKey {
  return sha256(JSON.stringify([CACHE_SCHEMA_VERSION, "manifest", fingerprintParts(fingerprint), [...files].sort()])) as CacheKey;
}
