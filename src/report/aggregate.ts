import type { TaskOutcome } from "../core/outcome.js";
import type { TaskRecord } from "../core/task-record.js";
import type { Finding } from "../core/finding.js";
import { unreachable } from "../core/unreachable.js";
import type { ToolStatus } from "../core/tool-status.js";
import type { ToolEntry } from "../plan/work.js";
import { REPORT_SCHEMA_VERSION, type Report, type ToolSummary } from "./report.js";

/** Everything the aggregator needs, gathered by the scan command. */
export interface AggregateInput {
  version: string;
  files: number;
  tools: readonly ToolEntry[];
  records: readonly TaskRecord[];
  durationMs: number;
  /** Missing tools do not fail the scan (`--skip-missing`). */
  skipMissing: boolean;
}

// When a tool's tasks end differently, the worst one names the tool's status.
const STATUS_RANK: readonly ToolStatus[] = ["not-installed", "error", "timeout", "cancelled", "findings", "passed"];

function statusOf(outcome: TaskOutcome): ToolStatus {
  switch (outcome.kind) {
    case "completed":
      return outcome.findings.length > 0 ? "findings" : "passed";
    case "tool-error":
    case "backend-error":
      return "error";
    case "timeout":
      return "timeout";
    case "cancelled":
      return "cancelled";
    case "not-installed":
      return "not-installed";
    default:
      return unreachable(outcome);
  }
}

function noteOf(record: TaskRecord): string | undefined {
  const { outcome, task } = record;
  switch (outcome.kind) {
    case "completed":
    case "cancelled":
      return undefined;
    case "tool-error":
      return `${task.id}: ${outcome.message}`;
    case "backend-error":
    case "not-installed":
      return `${task.id}: ${outcome.message}`;
    case "timeout":
      return `${task.id}: timed out after ${outcome.timeoutMs / 1000}s; the tool and its children were killed`;
    default:
      return unreachable(outcome);
  }
}

function durationOf(outcome: TaskOutcome): number {
  return "durationMs" in outcome ? outcome.durationMs : 0;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    a.line - b.line ||
    (a.column ?? 0) - (b.column ?? 0) ||
    a.tool.localeCompare(b.tool) ||
    a.rule.localeCompare(b.rule) ||
    a.message.localeCompare(b.message)
  );
}

/** Stable identity of a finding, for de-duplication across tasks. */
function findingKey(finding: Finding): string {
  return JSON.stringify([finding.tool, finding.rule, finding.path, finding.line, finding.column, finding.message]);
}

/**
 * Findings that several tasks reported count once; a finding one task reported twice (codespell: the same
 * word twice on a line, with no column to tell them apart) stays twice, as the tool said it.
 */
class FindingSet {
  private readonly kept = new Map<string, Finding[]>();

  addTaskFindings(findings: readonly Finding[]): void {
    const perKey = new Map<string, Finding[]>();
    for (const finding of findings) {
      const key = findingKey(finding);
      perKey.set(key, [...(perKey.get(key) ?? []), finding]);
    }
    for (const [key, group] of perKey) {
      if (group.length > (this.kept.get(key)?.length ?? 0)) this.kept.set(key, group);
    }
  }

  sorted(): Finding[] {
    return [...this.kept.values()].flat().sort(compareFindings);
  }
}

/** Merges every task's outcome into one report: findings de-duplicated across tasks and sorted, one row per tool. */
export function aggregate(input: AggregateInput): Report {
  const unique = new FindingSet();
  const tools: ToolSummary[] = input.tools.map((entry) => {
    const records = input.records.filter((record) => record.task.tool === entry.tool);
    const notes: string[] = [];
    if (entry.preempted) notes.push(entry.preempted.note);
    notes.push(...(entry.notes ?? []));
    for (const record of records) {
      if (record.outcome.kind === "completed") {
        unique.addTaskFindings(record.outcome.findings);
      }
      if (record.retriedBecause) notes.push(`${record.task.id}: retried once because ${record.retriedBecause}`);
      const note = noteOf(record);
      if (note) notes.push(note);
    }
    const statuses = records.map((record) => statusOf(record.outcome));
    const status = entry.preempted?.status ?? STATUS_RANK.find((candidate) => statuses.includes(candidate)) ?? "passed";
    return {
      tool: entry.tool,
      version: entry.version,
      status,
      files: entry.files,
      tasks: records.filter((record) => !record.memory).length,
      findings: 0, // counted below, after de-duplication
      durationMs: records.reduce((sum, record) => sum + durationOf(record.outcome), 0),
      notes,
    };
  });
  const findings = unique.sorted();
  for (const tool of tools) tool.findings = findings.filter((finding) => finding.tool === tool.tool).length;
  const failed = tools.some(
    (tool) => tool.status === "error" || tool.status === "timeout" || (tool.status === "not-installed" && !input.skipMissing),
  );
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    jackpool: input.version,
    exitCode: failed ? 2 : findings.length > 0 ? 1 : 0,
    summary: {
      files: input.files,
      findings: findings.length,
      tasks: input.records.filter((record) => !record.memory).length,
      durationMs: input.durationMs,
      fromMemory: input.records.reduce((sum, record) => sum + (record.memory?.hits ?? 0), 0),
      savedMs: input.records.reduce((sum, record) => sum + (record.memory?.savedMs ?? 0), 0),
    },
    tools,
    findings,
  };
}
