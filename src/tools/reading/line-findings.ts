import type { Finding, Severity } from "../../core/finding.js";
import { outputLines } from "./output-lines.js";
import { toProjectPath } from "./project-path.js";

/** How to turn one `path:line: message` match into a finding. */
export interface LineFindingShape {
  tool: string;
  severity: Severity;
  rule(message: string): string;
}

/**
 * Reads tools that print one `path:line: message` finding per line (codespell, vulture). `pattern` captures
 * path, line and message. Returns the findings, or the first line that does not match: output jackpool does
 * not understand is never dropped silently.
 */
export function lineFindings(
  text: string,
  pattern: RegExp,
  cwd: string,
  shape: LineFindingShape,
): { findings: Finding[] } | { unexpected: string } {
  const findings: Finding[] = [];
  for (const line of outputLines(text)) {
    const match = pattern.exec(line);
    if (!match) return { unexpected: line };
    const [, file = "", row = "", message = ""] = match;
    findings.push({
      tool: shape.tool,
      rule: shape.rule(message),
      severity: shape.severity,
      path: toProjectPath(cwd, file),
      line: Number(row),
      column: null,
      message,
    });
  }
  return { findings };
}
