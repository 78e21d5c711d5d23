import { hash } from "node:crypto";
import { readFileSync } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import type { Finding } from "../core/finding.js";
import { gitTopLevel } from "../files/git.js";
import { lastCommitOf, renamesSince, type ChangedLines } from "../files/git-changes.js";
import type { GoneEntry, Report, ReportFinding } from "../report/report.js";
import { toolHealth } from "../report/tool-health.js";
import type { BaselineEntry } from "./file.js";
import { identitiesOf, sourceHash, type FingerprintedIdentity, type SourceLines } from "./identity.js";
import { matchFindings, type Candidate, type Matching } from "./match.js";

/** A file's text and where each of its lines starts, found once; lines are cut out only when a finding asks for them. */
class SourceFile {
  private starts: number[] | undefined;
  constructor(readonly text: string) {}

  line(number: number): string | undefined {
    if (this.starts === undefined) {
      const starts = [0];
      for (let at = this.text.indexOf("\n"); at !== -1; at = this.text.indexOf("\n", at + 1)) starts.push(at + 1);
      this.starts = starts;
    }
    const start = this.starts[number - 1];
    if (start === undefined) return undefined;
    const end = this.starts[number] ?? this.text.length + 1;
    const line = this.text.slice(start, end - 1);
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  }
}

/** Lines of the scanned files, each file read once when a finding first asks (from `contentRoot`: the index snapshot for `--staged`). */
class SourceReader {
  /** Each file asked for: its text, or undefined for one that cannot be read. */
  readonly files = new Map<string, SourceFile | undefined>();
  constructor(private readonly contentRoot: string) {}

  readonly line: SourceLines = (file, line) => {
    let source = this.files.get(file);
    if (source === undefined && !this.files.has(file)) {
      source = readSource(this.contentRoot, file);
      this.files.set(file, source);
    }
    return source?.line(line);
  };
}

function readSource(contentRoot: string, file: string): SourceFile | undefined {
  try {
    // Synchronously: a few hundred small files one after another cost less than as many trips to the thread pool.
    return new SourceFile(readFileSync(path.join(contentRoot, file), "utf8"));
  } catch {
    return undefined; // not a file jackpool can read (a path a tool made up): the finding has no line content
  }
}

/** A file's text as matching saw it: a digest, "" for a file that cannot be read. */
function contentDigest(source: SourceFile | undefined): string {
  return source === undefined ? "" : hash("sha1", source.text);
}

/** The digest of `file` under `contentRoot` now, to compare with what `LazySources.filesRead` noted. */
export function currentDigest(contentRoot: string, file: string): string {
  return contentDigest(readSource(contentRoot, file));
}

/** Each finding's whole identity (line content, occurrence, fingerprint): what `baseline create` and `update` write. */
export function identify(findings: readonly Finding[], contentRoot: string): FingerprintedIdentity[] {
  return identitiesOf(findings, new SourceReader(contentRoot).line);
}

/** The line hash of each finding, made when matching asks for it, and which files that read. */
export interface LazySources {
  sourceOf: (finding: number) => string;
  /** The files read so far, each with its `currentDigest`: what the matching depended on beyond the findings. */
  filesRead: () => Map<string, string>;
}

/** Line hashes made only when matching asks for them: a scan where nothing changed reads no file. */
export function lazySources(findings: readonly Finding[], contentRoot: string): LazySources {
  const reader = new SourceReader(contentRoot);
  return {
    sourceOf: (index) => {
      const finding = findings[index]!;
      return finding.line >= 1 ? sourceHash(reader.line(finding.path, finding.line)) : "";
    },
    filesRead: () => new Map([...reader.files].map(([file, source]) => [file, contentDigest(source)])),
  };
}

/** The matching, and the renames it needed (old name → new) when some entries and findings were left over. */
export interface Comparison extends Matching {
  renames: Map<string, string>;
  /** Whether git's history was asked for renames (some entries and findings were left over): the result depends on it. */
  askedHistory: boolean;
}

/**
 * Matches findings against entries; when some of both are left over, asks git which files were renamed since the
 * baseline file was last committed and matches again with entries under their new names.
 */
export async function compareWithBaseline(
  entries: readonly BaselineEntry[],
  findings: readonly Candidate[],
  sourceOf: (finding: number) => string,
  where: { root: string; baselineFile: string; signal?: AbortSignal; pairExactly?: boolean },
): Promise<Comparison> {
  const options = { pairExactly: where.pairExactly ?? false };
  const first = matchFindings(entries, findings, sourceOf, new Map(), options);
  const leftOver = first.unmatched.length > 0 && first.entryOf.some((entry) => entry === undefined);
  const unchanged = { ...first, renames: new Map<string, string>(), askedHistory: leftOver };
  if (!leftOver || (await gitTopLevel(where.root)) === null) return unchanged;
  const commit = await lastCommitOf(where.root, where.baselineFile, where.signal);
  if (commit === null) return unchanged;
  const renames = await renamesSince(where.root, commit, where.signal);
  if (renames.size === 0) return { ...unchanged, renames };
  return { ...matchFindings(entries, findings, sourceOf, renames, options), renames, askedHistory: true };
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
  unmatched: readonly BaselineEntry[],
  renames: ReadonlyMap<string, string>,
  scope: ScanScope,
): Promise<GoneEntry[]> {
  const ran = new Set(report.tools.filter((tool) => toolHealth(tool).outcome === "ran").map((tool) => tool.tool));
  const gone: GoneEntry[] = [];
  for (const entry of unmatched) {
    const file = renames.get(entry.path) ?? entry.path;
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
  const counts = new Map<string, number>();
  for (const finding of findings) if (finding.baseline !== "baselined") counts.set(finding.tool, (counts.get(finding.tool) ?? 0) + 1);
  return report.tools.map((tool) => {
    const count = counts.get(tool.tool) ?? 0;
    // A tool whose findings are all accepted (or on unchanged lines) passes.
    return { ...tool, findings: count, status: tool.status === "findings" && count === 0 ? "passed" : tool.status };
  });
}

/**
 * The report with each finding marked `new` (the indices in `fresh`) or `baselined`, the gone entries, and the exit
 * code of new (and, if asked, gone) ones.
 */
export function markReport(report: Report, fresh: ReadonlySet<number>, gone: GoneEntry[], file: string, failOnGone: boolean): Report {
  // Marked in place: the report's findings are its own, and a large project has a hundred thousand of them.
  const findings: ReportFinding[] = report.findings;
  findings.forEach((finding, index) => {
    finding.baseline = fresh.has(index) ? "new" : "baselined";
  });
  return {
    ...report,
    exitCode: exitCodeOf(report, fresh.size + (failOnGone ? gone.length : 0)),
    summary: { ...report.summary, findings: fresh.size, baselined: findings.length - fresh.size },
    tools: recount(report, findings),
    findings,
    baseline: { file, baselined: findings.length - fresh.size, gone, failOnGone },
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
