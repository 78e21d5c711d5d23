import type { Finding, Severity } from "../../core/finding.js";
import { projectEnvironmentRun } from "../python/environment.js";
import { firstVersion, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";
import { defineTool, type ParsedRun } from "../tool.js";

/** One error of `pyrefly check --output-format json`: 1-based lines and columns, the stop exclusive. */
interface PyreflyError {
  path: string;
  line: number;
  column: number;
  stop_line?: number;
  stop_column?: number;
  name: string;
  description: string;
  severity?: string;
}

const SEVERITIES: Readonly<Record<string, Severity>> = { error: "error", warn: "warning", warning: "warning", info: "info" };

function findingOf(error: PyreflyError, cwd: string): Finding {
  const finding: Finding = {
    tool: "pyrefly",
    rule: error.name,
    severity: SEVERITIES[error.severity ?? "error"] ?? "error",
    path: toProjectPath(cwd, error.path),
    line: error.line,
    column: error.column,
    message: error.description,
  };
  if (error.stop_line !== undefined && error.stop_column !== undefined) {
    finding.endLine = error.stop_line;
    finding.endColumn = error.stop_column;
  }
  return finding;
}

/**
 * pyrefly: Meta's type checker; whole-project, JSON on stdout. `--force-exclude` keeps its project excludes in force for
 * named files. Exit 0 clean, 1 errors, anything else it could not check. Opt-in: no default list names it.
 */
export default defineTool(
  {
    name: "pyrefly",
    homepage: "https://pyrefly.org/",
    executable: "pyrefly",
    package: { via: "pip", name: "pyrefly" },
    scope: "whole-project",
    resultsDependOn: "project",
    brokenInput: "per-file",
    readsInstalledPackages: true,
    class: "fast",
    placement: "opt-in",
    include: ["*.py", "*.pyi"],
    configFiles: ["pyproject.toml", "pyrefly.toml"],
    defaultTimeoutSec: 600,
    cost: { startupMs: 500, perFileMs: 5 },
  },
  {
    optionParser: "exact",
    // Options that write into the project (suppression comments, baselines, reports) or change the output jackpool reads.
    forbiddenArgs: [
      "--suppress-errors",
      "--remove-unused-ignores",
      "--update-baseline",
      "--prune-baseline",
      "--baseline",
      "--watch",
      "-o",
      "--output",
      "--output-format",
      "--summarize-errors",
      "--count-errors",
      "--debug-info",
      "--report-binding-memory",
      "--report-trace",
      "--dependency-graph",
      "--report-timings",
      "--report-glean",
      "--report-scip",
      "--report-pysa",
      "--report-demand-tree",
      "--color",
    ],
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    /** It finds the project's `.venv` itself; that virtualenv's packages are then part of the key. */
    runs: (_override, _root, projectRoot) => projectEnvironmentRun(projectRoot),
    buildArgs: (files, { userArgs }) => [
      "check",
      "--output-format",
      "json",
      "--color",
      "never",
      "--force-exclude",
      ...userArgs,
      ...files.map(asOperand),
    ],
    parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
      if (exitCode !== 0 && exitCode !== 1) return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      let report: { errors?: PyreflyError[] };
      try {
        report = JSON.parse(stdout) as { errors?: PyreflyError[] };
      } catch {
        return { kind: "tool-error", message: `printed no JSON report: ${stderrTail(stderr || stdout)}` };
      }
      const findings = (report.errors ?? []).map((error) => findingOf(error, cwd));
      if (exitCode === 1 && findings.length === 0)
        return { kind: "tool-error", message: `exited 1 without findings: ${stderrTail(stderr || stdout)}` };
      return { kind: "findings", findings };
    },
  },
);
