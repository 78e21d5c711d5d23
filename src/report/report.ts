import type { Finding } from "../core/finding.js";
import type { ToolName } from "../core/tool-name.js";
import type { ToolStatus } from "../core/tool-status.js";

/** Bumped whenever the JSON report changes incompatibly; schema/report.schema.json describes it. */
export const REPORT_SCHEMA_VERSION = 1;

/** One row of the per-tool table. */
export interface ToolSummary {
  tool: ToolName;
  version: string | null;
  status: ToolStatus;
  files: number;
  tasks: number;
  findings: number;
  /** Sum of the tool's task durations. */
  durationMs: number;
  /** One line each: failures, retries, why a tool was skipped. */
  notes: string[];
}

/** The one report every output format is rendered from. */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  jackpool: string;
  exitCode: 0 | 1 | 2;
  summary: {
    files: number;
    findings: number;
    tasks: number;
    /** Wall time of the scan. */
    durationMs: number;
    /** Results replayed from the memory cache instead of running a tool (one per tool and file). */
    fromMemory: number;
    /** Tool time those results took when they were computed. */
    savedMs: number;
  };
  tools: ToolSummary[];
  findings: Finding[];
}
