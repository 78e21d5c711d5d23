import { counted } from "../text/counted.js";
import type { Report } from "./report.js";

/** The scan's verdict in one word, from its exit code. */
export function verdictOf(report: Report): "passed" | "findings" | "failed" {
  return report.exitCode === 0 ? "passed" : report.exitCode === 1 ? "findings" : "failed";
}

/**
 * What the baseline and `--changed-lines` left out or found fixed, a line each: the baselined findings not listed
 * (`listed`: the text report lists them with --show-baselined), the entries gone, the findings on unchanged lines.
 */
export function baselineLines(report: Report, { listed = false }: { listed?: boolean } = {}): string[] {
  const lines: string[] = [];
  const { baseline, changedLines } = report;
  if (baseline && baseline.baselined > 0)
    lines.push(
      listed
        ? `${counted(baseline.baselined, "baselined finding")} listed above, accepted by ${baseline.file}`
        : `${counted(baseline.baselined, "baselined finding")} not shown, accepted by ${baseline.file} (--show-baselined lists them)`,
    );
  if (baseline && baseline.gone.length > 0) {
    const count = baseline.gone.length;
    lines.push(
      `${count} baselined ${count === 1 ? "finding is" : "findings are"} gone: run \`jackpool baseline update\` to drop ${count === 1 ? "it" : "them"}${baseline.failOnGone ? " (baseline.fail_on_gone fails the scan until then)" : ""}`,
    );
  }
  if (changedLines && changedLines.hidden > 0)
    lines.push(`${counted(changedLines.hidden, "finding")} on lines unchanged since ${changedLines.since} not shown (--changed-lines)`);
  return lines;
}
