import { access, readFile } from "node:fs/promises";
import path from "node:path";
import type { Finding } from "../core/finding.js";
import { gitTopLevel } from "../files/git.js";
import { lastCommitOf, renamesSince, type ChangedLines } from "../files/git-changes.js";
import type { GoneEntry, Report, ReportFinding } from "../report/report.js";
import { toolHealth } from "../report/tool-health.js";
import type { BaselineEntry } from "./file.js";
import { identitiesOf, type Identity } from "./identity.js";
import { matchFindings, type Matching } from "./match.js";

/** Reads each file that has findings once (from `contentRoot`: the staged snapshot for `--staged`) and hands out its lines. */
export async function identify(findings: readonly Finding[], contentRoot: string): Promise<Identity[]> {
  const files = new Map<string, string[] | undefined>();
  await Promise.all(
    [...new Set(findings.filter((finding) => finding.line >= 1).map((finding) => finding.path))].map(async (file) => {
      try {
        files.set(file, (await readFile(path.join(contentRoot, file), "utf8")).split(/\r?\n/));
      } catch {
        files.set(file, undefined); // not a file jackpool can read (a path a tool made up): the finding has no line content
      }
    }),
  );
  return identitiesOf(findings, (file, line) => files.get(file)?.[line - 1]);
}

/** The matching, and the renames it needed (old name → new) when some entries and findings were left over. */
export interface Comparison extends Matching {
  renames: Map<string, string>;
}

/**
 * Matches findings against entries; when some of both are left over, asks git which files were renamed since the
 * baseline file was last committed and matches again with entries under their new names.
 */
export async function compareWithBaseline(
  entries: readonly BaselineEntry[],
  identities: readonly Identity[],
  root: string,
  baselineFile: string,
  signal?: AbortSignal,
): Promise<Comparison> {
  const first = matchFindings(entries, identities);
  const leftOver = first.unmatched.length > 0 && first.entryOf.some((entry) => entry === undefined);
  if (!leftOver || (await gitTopLevel(root)) === null) return { ...first, renames: new Map() };
  const commit = await lastCommitOf(root, baselineFile, signal);
  if (commit === null) return { ...first, renames: new Map() };
  const renames = await renamesSince(root, commit, signal);
  if (renames.size === 0) return { ...first, renames };
  return { ...matchFindings(entries, identities, renames), renames };
}

/** Which files and tools the scan vouches for: an entry is gone only if its tool ran to the end on its file (or the file is no more). */
export interface ScanScope {
  /** The files selected; null when every file was. */
  selected: ReadonlySet<string> | null;
  root: string;
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** The entries left unmatched that the scan vouches for: fixed. Others (files not selected, tools not run) say nothing. */
export async function goneEntries(
  report: Report,
  entries: readonly BaselineEntry[],
  comparison: Comparison,
  scope: ScanScope,
): Promise<GoneEntry[]> {
  const ran = new Set(report.tools.filter((tool) => toolHealth(tool).outcome === "ran").map((tool) => tool.tool));
  const gone: GoneEntry[] = [];
  for (const index of comparison.unmatched) {
    const entry = entries[index]!;
    const file = comparison.renames.get(entry.path) ?? entry.path;
    if (!ran.has(entry.tool)) continue;
    if (scope.selected !== null && !scope.selected.has(file) && (await exists(path.join(scope.root, file)))) continue;
    gone.push({ tool: entry.tool, rule: entry.rule, path: file, message: entry.message, fingerprint: entry.fingerprint });
  }
  return gone;
}

/** The exit code once the baseline or changed lines have had their say: a failed tool still fails (2). */
function exitCodeOf(report: Report, failing: number): Report["exitCode"] {
  return report.exitCode === 2 ? 2 : failing > 0 ? 1 : 0;
}

/** Counts per tool of the findings that fail the scan. */
function recount(report: Report, findings: readonly ReportFinding[]): Report["tools"] {
  return report.tools.map((tool) => {
    const count = findings.filter((finding) => finding.tool === tool.tool && finding.baseline !== "baselined").length;
    // A tool whose findings are all accepted (or on unchanged lines) passes.
    return { ...tool, findings: count, status: tool.status === "findings" && count === 0 ? "passed" : tool.status };
  });
}

/** The report with each finding marked `new` or `baselined`, the gone entries, and the exit code of new (and, if asked, gone) ones. */
export function markReport(report: Report, comparison: Matching, gone: GoneEntry[], file: string, failOnGone: boolean): Report {
  const findings: ReportFinding[] = report.findings.map((finding, index) => ({
    ...finding,
    baseline: comparison.entryOf[index] === undefined ? "new" : "baselined",
  }));
  const fresh = findings.filter((finding) => finding.baseline === "new").length;
  return {
    ...report,
    exitCode: exitCodeOf(report, fresh + (failOnGone ? gone.length : 0)),
    summary: { ...report.summary, findings: fresh, baselined: findings.length - fresh },
    tools: recount(report, findings),
    findings,
    baseline: { file, baselined: findings.length - fresh, gone, failOnGone },
  };
}

/** Whether a finding is on a line that changed; a finding with no line counts when its file changed at all. */
function onChangedLine(finding: Finding, changed: ChangedLines): boolean {
  const lines = changed.get(finding.path);
  if (lines === undefined) return false;
  return lines === "all" || finding.line < 1 || lines.has(finding.line);
}

/** `--changed-lines`: the report without the findings on lines the change since `since` did not touch. */
export function keepChangedLines(report: Report, changed: ChangedLines, since: string): Report {
  const findings = report.findings.filter((finding) => onChangedLine(finding, changed));
  const failing = findings.filter((finding) => finding.baseline !== "baselined").length;
  const failOnGone = report.baseline?.failOnGone === true ? report.baseline.gone.length : 0;
  return {
    ...report,
    exitCode: exitCodeOf(report, failing + failOnGone),
    summary: { ...report.summary, findings: failing, ...(report.baseline ? { baselined: findings.length - failing } : {}) },
    tools: recount(report, findings),
    findings,
    ...(report.baseline ? { baseline: { ...report.baseline, baselined: findings.length - failing } } : {}),
    changedLines: { since, hidden: report.findings.length - findings.length },
  };
}
