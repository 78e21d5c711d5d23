import type { ToolName } from "../core/tool-name.js";
import type { ImportComponents } from "./keys/import-components.js";
import type { KeyInputs } from "./keys/key-log.js";
import type { CacheKey, CachedResult } from "./stores/store.js";

/** Where a result's imports are: the component of its file, whose digest is in the result's key. */
export interface ResultImports {
  components: ImportComponents;
  component: number;
}

/** A result to store once its task has run: under `key`, if the `expected` contents are still there. */
export interface PendingResult {
  tool: ToolName;
  key: CacheKey;
  /** The file the result is for; null for a whole-project run. */
  file: string | null;
  /** path → content hash of the files keyed directly: the result's own file, or every file of a whole-project run. */
  expected: ReadonlyMap<string, string>;
  /** For a result keyed on its file's import component: what else must be unchanged for it to be stored. */
  imports?: ResultImports;
  /** What the key was made of, for the key log that explains later misses. */
  keyInputs: KeyInputs;
}

/**
 * A manifest: all per-file results of one tool run as a single entry, keyed by the tool's settings and the
 * run's file list, and holding each file's result key. A file whose current key is the one the manifest holds
 * is answered by it, so a scan that changed nothing reads one entry per run and a scan that changed one file
 * reads two. Rewritten once every file has a result, when it was missing or out of date.
 */
export interface PendingManifest {
  key: CacheKey;
  tool: ToolName;
  /** Each file's current result key. */
  keys: ReadonlyMap<string, CacheKey>;
  /** The results memory already held, by file. */
  known: Map<string, CachedResult>;
}
