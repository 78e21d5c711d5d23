import type { Finding, Severity } from "../../core/finding.js";
import { firstVersion, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";
import { defineTool, type ParsedRun } from "../tool.js";

/** The fields jackpool reads from bandit's JSON report. */
interface BanditReport {
  results?: {
    filename: string;
    line_number: number;
    col_offset?: number;
    end_col_offset?: number;
    test_id: string;
    issue_severity?: string;
    issue_text?: string;
    more_info?: string;
  }[];
  /** Files bandit could not analyse (a syntax error), each with the reason; it goes on with the others. */
  errors?: { filename: string; reason: string }[];
}

const SEVERITIES: Readonly<Record<string, Severity>> = { HIGH: "error", MEDIUM: "warning", LOW: "info" };

/**
 * bandit: security issues in Python code; per-file, JSON on stdout (`-f json -q`). Exit 0 clean, 1 issues found (or a
 * file it could not parse, listed under `errors`), 2 bad arguments or settings. Opt-in: no default list names it.
 */
export default defineTool(
  {
    name: "bandit",
    homepage: "https://bandit.readthedocs.io/",
    executable: "bandit",
    package: { via: "pip", name: "bandit" },
    scope: "per-file",
    resultsDependOn: "own-file",
    brokenInput: "per-file",
    class: "security",
    placement: "opt-in",
    include: ["*.py"],
    configFiles: ["pyproject.toml", ".bandit", "bandit.yaml", "bandit.yml"],
    defaultTimeoutSec: 300,
    cost: { startupMs: 400, perFileMs: 5 },
  },
  {
    optionParser: "argparse",
    // Report formats and files jackpool reads itself; a baseline would hide findings the tool itself reports.
    forbiddenArgs: ["-f", "--format", "-o", "--output", "-b", "--baseline"],
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    buildArgs: (files, { userArgs }) => ["-f", "json", "-q", ...userArgs, ...files.map(asOperand)],
    parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
      if (exitCode !== 0 && exitCode !== 1) return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      let report: BanditReport;
      try {
        report = JSON.parse(stdout) as BanditReport;
      } catch {
        return { kind: "tool-error", message: `printed no JSON report: ${stderrTail(stderr || stdout)}` };
      }
      const findings: Finding[] = (report.results ?? []).map((result) => {
        const finding: Finding = {
          tool: "bandit",
          rule: result.test_id,
          severity: SEVERITIES[result.issue_severity ?? ""] ?? "warning",
          path: toProjectPath(cwd, result.filename),
          line: result.line_number,
          column: result.col_offset === undefined ? null : result.col_offset + 1,
          message: result.issue_text ?? "",
        };
        if (result.more_info) finding.url = result.more_info;
        return finding;
      });
      for (const error of report.errors ?? []) {
        findings.push({
          tool: "bandit",
          rule: "parse-error",
          severity: "error",
          path: toProjectPath(cwd, error.filename),
          line: 1,
          column: null,
          message: error.reason,
        });
      }
      if (exitCode === 1 && findings.length === 0)
        return { kind: "tool-error", message: `exited 1 without findings: ${stderrTail(stderr || stdout)}` };
      return { kind: "findings", findings };
    },
  },
);
