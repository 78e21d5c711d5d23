import type { Finding } from "../../core/finding.js";

/** `path:line:column`, or `path:line` for tools that report no column. */
export function findingLocation(finding: Finding): string {
  return finding.column === null ? `${finding.path}:${finding.line}` : `${finding.path}:${finding.line}:${finding.column}`;
}
