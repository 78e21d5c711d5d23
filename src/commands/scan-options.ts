import type { BackendMode } from "../backends/open.js";
import type { BaselineAction } from "./baseline.js";
import type { Selection } from "../files/select.js";
import type { EnvSkips } from "../plan/env-skips.js";
import type { ReportOutput } from "../report/outputs.js";

/** Everything `jackpool scan` was asked to do, validated by the CLI. */
export interface ScanOptions {
  cwd: string;
  configFile?: string;
  selection: Selection;
  tools?: string[];
  skipTools?: string[];
  /** Tools the environment skips (SKIP, JACKPOOL_SKIP). */
  skips: Pick<EnvSkips, "shared" | "own">;
  jobs?: number;
  /** At most this many files per task of a per-file tool (`--max-chunk-files`). */
  maxChunkFiles?: number;
  /** Where each rendering of the report goes (validated: at most one to stdout). */
  outputs: ReportOutput[];
  failFast: boolean;
  skipMissing: boolean;
  /** Neither read nor write the memory cache. */
  noCache: boolean;
  /** Re-run everything and overwrite what memory holds. */
  refresh: boolean;
  /** Say for each tool and file why it was a hit or a miss. */
  explain: boolean;
  verbose: boolean;
  quiet: boolean;
  /** Where tasks run (`--backend`). */
  backend: BackendMode;
  /** Leave Mahavishnu pools up after the scan and reuse them next time. */
  keepPool: boolean;
  /** Hold findings against the baseline file when there is one (false for `--no-baseline`). */
  baseline: boolean;
  /** The text report lists baselined findings too (`--show-baselined`). */
  showBaselined: boolean;
  /** With `--since REF`: report only findings on lines changed since REF (`--changed-lines`). */
  changedLines: boolean;
  /** `jackpool baseline create|update`: write the baseline from the scan instead of reporting it. */
  baselineAction?: BaselineAction;
}
