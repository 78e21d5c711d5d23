import type { Report } from "../src/report/report.js";
import type { Finding } from "../src/core/finding.js";

function line(finding: Finding | undefined): string {
  return finding === undefined
    ? "(none)"
    : `${finding.tool} ${finding.path}:${finding.line}:${finding.column ?? "-"} ${finding.rule} ${finding.message}`;
}

/**
 * Where two reports of the same files part, less timings and task counts: the first finding that differs (in
 * report order), else the first tool row that does; null when they are the same. For failure messages that say
 * what went wrong instead of dumping two reports.
 */
export function firstDifference(expected: Report, actual: Report): string | null {
  const count = Math.max(expected.findings.length, actual.findings.length);
  for (let index = 0; index < count; index++) {
    const [want, got] = [expected.findings[index], actual.findings[index]];
    if (JSON.stringify(want) !== JSON.stringify(got)) return `finding #${index + 1}: expected ${line(want)}, got ${line(got)}`;
  }
  const row = (report: Report, index: number) => {
    const tool = report.tools[index];
    return tool === undefined ? "(none)" : JSON.stringify({ ...tool, durationMs: 0, tasks: 0 });
  };
  for (let index = 0; index < Math.max(expected.tools.length, actual.tools.length); index++) {
    if (row(expected, index) !== row(actual, index))
      return `tool row #${index + 1}: expected ${row(expected, index)}, got ${row(actual, index)}`;
  }
  if (expected.exitCode !== actual.exitCode) return `exit code: expected ${expected.exitCode}, got ${actual.exitCode}`;
  return null;
}
