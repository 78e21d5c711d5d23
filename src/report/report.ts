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

/** Whether a finding is in the baseline file (set only when a baseline is in use): only `new` ones fail the scan. */
export type BaselineState = "new" | "baselined";

/** A finding as the report carries it: the tool's own, marked against the baseline when one is in use. */
export type ReportFinding = Finding & { baseline?: BaselineState };

/** A baseline entry no longer found by a scan that covered its file and tool: fixed, and `baseline update` drops it. */
export interface GoneEntry {
  tool: string;
  rule: string;
  path: string;
  message: string;
  fingerprint: string;
}

/** What the baseline did to this scan (src/baseline/). */
export interface BaselineSummary {
  /** The baseline file, relative to the project root. */
  file: string;
  /** Findings the baseline accepts: reported as `baselined`, never failing the scan. */
  baselined: number;
  gone: GoneEntry[];
  /** Gone entries fail the scan (`baseline.fail_on_gone`). */
  failOnGone: boolean;
}

/** `--since REF --changed-lines`: findings on lines the change did not touch are left out of the report. */
export interface ChangedLinesSummary {
  since: string;
  /** Findings left out because their line did not change. */
  hidden: number;
}

/** The one report every output format is rendered from. */
export interface Report {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  jackpool: string;
  exitCode: 0 | 1 | 2;
  summary: {
    files: number;
    /** Findings that fail the scan: with a baseline, the new ones only. */
    findings: number;
    /** With a baseline: the findings it accepts (in `findings` below, marked `baselined`). */
    baselined?: number;
    tasks: number;
    /** Wall time of the scan. */
    durationMs: number;
    /** Results replayed from the memory cache instead of running a tool (one per tool and file). */
    fromMemory: number;
    /** Tool time those results took when they were computed. */
    savedMs: number;
  };
  tools: ToolSummary[];
  findings: ReportFinding[];
  baseline?: BaselineSummary;
  changedLines?: ChangedLinesSummary;
}

/** The findings a format reports as problems: all of them, less those the baseline accepts. */
export function reportedFindings(report: Report): ReportFinding[] {
  return report.findings.filter((finding) => finding.baseline !== "baselined");
}
