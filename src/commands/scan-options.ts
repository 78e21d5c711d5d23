import type { PipelineOptions } from "../pipeline/pipeline-options.js";
import type { ReportOutput } from "../report/outputs.js";

/** Everything `jackpool scan` was asked to do, validated by the CLI. */
export interface ScanOptions extends PipelineOptions {
  cwd: string;
  configFile?: string;
  /** Where each rendering of the report goes (validated: at most one to stdout). */
  outputs: ReportOutput[];
  verbose: boolean;
}
