import type { BackendMode } from "../backends/open.js";
import type { Selection } from "../files/select.js";
import type { EnvSkips } from "../plan/env-skips.js";

/** What one run of the scan pipeline is asked to do (a `jackpool scan`, or the daemon's work ahead). */
export interface PipelineOptions {
  selection: Selection;
  tools?: string[];
  skipTools?: string[];
  /** Tools the environment skips (SKIP, JACKPOOL_SKIP). */
  skips: Pick<EnvSkips, "shared" | "own">;
  jobs?: number;
  /** At most this many files per task of a per-file tool (`--max-chunk-files`). */
  maxChunkFiles?: number;
  failFast: boolean;
  skipMissing: boolean;
  /** Neither read nor write the memory cache. */
  noCache: boolean;
  /** Re-run everything and overwrite what memory holds. */
  refresh: boolean;
  /** Say for each tool and file why it was a hit or a miss. */
  explain: boolean;
  quiet: boolean;
  /** Where tasks run (`--backend`). */
  backend: BackendMode;
  /** Leave Mahavishnu pools up after the scan and reuse them next time. */
  keepPool: boolean;
}
