import type { Finding, Severity } from "../../core/finding.js";
import { projectEnvironmentRun } from "../python/environment.js";
import { firstVersion, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";
import { defineTool, type ParsedRun } from "../tool.js";

/** One issue of ty's GitLab Code Quality output: the only one with positions in JSON. */
interface TyIssue {
  check_name: string;
  description: string;
  severity: string;
  location: { path: string; positions?: { begin: { line: number; column: number }; end?: { line: number; column: number } } };
}

// GitLab's severities, as ty maps its own (error is major, warning minor, info info).
const SEVERITIES: Readonly<Record<string, Severity>> = {
  info: "info",
  minor: "warning",
  major: "error",
  critical: "error",
  blocker: "error",
};

function findingOf(issue: TyIssue, cwd: string): Finding {
  const begin = issue.location.positions?.begin;
  const end = issue.location.positions?.end;
  const finding: Finding = {
    tool: "ty",
    rule: issue.check_name,
    severity: SEVERITIES[issue.severity] ?? "error",
    path: toProjectPath(cwd, issue.location.path),
    line: begin?.line ?? 1,
    column: begin?.column ?? null,
    // ty repeats the rule before the description: the finding has it as its rule.
    message: issue.description.startsWith(`${issue.check_name}: `)
      ? issue.description.slice(issue.check_name.length + 2)
      : issue.description,
  };
  if (end) {
    finding.endLine = end.line;
    finding.endColumn = end.column;
  }
  return finding;
}

/**
 * ty: Astral's type checker; whole-project (types flow across modules), JSON on stdout (GitLab Code Quality, the
 * output with positions). `--force-exclude` keeps its own `src.exclude` in force for named files. Exit 0 clean (or
 * warnings only), 1 errors, 2 it could not check (bad settings or arguments) or could not read a file (then its report
 * has an `io` issue for it, and the rest). Opt-in: no default list names it.
 */
export default defineTool(
  {
    name: "ty",
    homepage: "https://docs.astral.sh/ty/",
    executable: "ty",
    package: { via: "pip", name: "ty" },
    scope: "whole-project",
    resultsDependOn: "project",
    brokenInput: "per-file",
    readsInstalledPackages: true,
    class: "fast",
    placement: "opt-in",
    include: ["*.py", "*.pyi"],
    configFiles: ["pyproject.toml", "ty.toml"],
    defaultTimeoutSec: 600,
    cost: { startupMs: 300, perFileMs: 5 },
  },
  {
    optionParser: "exact",
    // Options that rewrite files (--fix, --add-ignore), write a baseline, watch, or change the output jackpool reads.
    forbiddenArgs: [
      "--fix",
      "--add-ignore",
      "--baseline",
      "--update-baseline",
      "--watch",
      "-W",
      "--output-format",
      "--exit-zero",
      "--color",
    ],
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    /** It finds the project's `.venv` itself; that virtualenv's packages are then part of the key. */
    runs: (_override, _root, projectRoot) => projectEnvironmentRun(projectRoot),
    buildArgs: (files, { userArgs }) => [
      "check",
      "--output-format",
      "gitlab",
      "--no-progress",
      "--color",
      "never",
      "--force-exclude",
      ...userArgs,
      ...files.map(asOperand),
    ],
    parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
      if (exitCode !== 0 && exitCode !== 1 && exitCode !== 2) {
        return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      }
      let issues: TyIssue[];
      try {
        issues = JSON.parse(stdout || "[]") as TyIssue[];
      } catch {
        return { kind: "tool-error", message: `printed no JSON report: ${stderrTail(stderr || stdout)}` };
      }
      if (!Array.isArray(issues)) return { kind: "tool-error", message: `printed no list of issues: ${stderrTail(stdout)}` };
      // Exit 2 with a report that has an `io` issue: a file ty could not read (not UTF-8), which it names and skips,
      // checking the rest; that issue is a finding of that file. Exit 2 without one is a failure of the run.
      if (exitCode === 2 && !issues.some((issue) => issue.check_name === "io")) {
        return { kind: "tool-error", message: `exited 2: ${stderrTail(stderr || stdout)}` };
      }
      const findings = issues.map((issue) => findingOf(issue, cwd));
      if (exitCode === 1 && findings.length === 0)
        return { kind: "tool-error", message: `exited 1 without findings: ${stderrTail(stderr || stdout)}` };
      return { kind: "findings", findings };
    },
  },
);
