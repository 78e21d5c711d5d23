import type { PipelineOptions } from "../pipeline/pipeline-options.js";
import type { BaselineAction } from "./baseline.js";
import type { ReportOutput } from "../report/outputs.js";

/** Everything `jackpool scan` was asked to do, validated by the CLI. */
export interface ScanOptions extends PipelineOptions {
  cwd: string;
  configFile?: string;
  /** Where each rendering of the report goes (validated: at most one to stdout). */
  outputs: ReportOutput[];
  verbose: boolean;
  /** Hold findings against the baseline file when there is one (false for `--no-baseline`). */
  baseline: boolean;
  /** The text report lists baselined findings too (`--show-baselined`). */
  showBaselined: boolean;
  /** With `--since REF`: report only findings on lines changed since REF (`--changed-lines`). */
  changedLines: boolean;
  /** `jackpool baseline create|update`: write the baseline from the scan instead of reporting it. */
  baselineAction?: BaselineAction;
}
