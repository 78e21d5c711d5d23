import { fileURLToPath } from "node:url";
import type { Finding, Severity } from "../../core/finding.js";
import { toProjectPath } from "./project-path.js";

/** The fields jackpool reads from a SARIF 2.1.0 result. */
interface SarifResult {
  ruleId?: string;
  level?: string;
  message?: { text?: string };
  locations?: {
    physicalLocation?: {
      artifactLocation?: { uri?: string };
      region?: { startLine?: number; startColumn?: number; endLine?: number; endColumn?: number };
    };
  }[];
}

/** SARIF locations are URI references: `with%20space.py`, or `file:///abs/path`. */
function sarifPath(uri: string): string {
  return uri.startsWith("file:") ? fileURLToPath(uri) : decodeURIComponent(uri);
}

// SARIF's levels; a result without one is a warning (SARIF 2.1.0, 3.27.10).
const LEVELS: Readonly<Record<string, Severity>> = { error: "error", warning: "warning", note: "info", none: "info" };

/**
 * The findings of a SARIF log (every result of every run), with paths made project-relative to `cwd`; or why the
 * text is not one. `defaultRule` names results without a `ruleId`.
 */
export function sarifFindings(text: string, tool: string, cwd: string, defaultRule: string): { findings: Finding[] } | { error: string } {
  let log: { runs?: { results?: SarifResult[] }[] };
  try {
    log = JSON.parse(text) as typeof log;
  } catch (error) {
    return { error: `not a SARIF log: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof log !== "object" || log === null || !Array.isArray(log.runs)) return { error: "not a SARIF log: no runs" };
  const findings = log.runs
    .flatMap((run) => run.results ?? [])
    .map((result): Finding => {
      const location = result.locations?.[0]?.physicalLocation;
      const region = location?.region;
      const finding: Finding = {
        tool,
        rule: result.ruleId ?? defaultRule,
        severity: LEVELS[result.level ?? "warning"] ?? "warning",
        path: toProjectPath(cwd, sarifPath(location?.artifactLocation?.uri ?? "")),
        line: region?.startLine ?? 1,
        column: region?.startColumn ?? null,
        message: result.message?.text ?? "",
      };
      if (region?.endLine !== undefined) finding.endLine = region.endLine;
      if (region?.endColumn !== undefined) finding.endColumn = region.endColumn;
      return finding;
    });
  return { findings };
}
