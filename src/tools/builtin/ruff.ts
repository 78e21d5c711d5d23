import { defineTool, type ParsedRun } from "../tool.js";
import type { Finding, Severity } from "../../core/finding.js";
import { firstVersion, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";
import { embeddedRuff } from "../ruff-embedded/embedded.js";

interface RuffLocation {
  row: number;
  column: number;
}

interface RuffDiagnostic {
  code: string | null;
  name?: string;
  message: string;
  filename: string;
  location: RuffLocation | null;
  end_location: RuffLocation | null;
  severity?: string;
  url?: string | null;
}

function severityOf(raw: string | undefined): Severity {
  return raw === "warning" || raw === "info" ? raw : "error";
}

/** ruff: fast linter; per-file, JSON output; exit 1 = findings, 2 = ruff itself failed. */
export default defineTool(
  {
    name: "ruff",
    executable: "ruff",
    scope: "per-file",
    resultsDependOn: "own-file",
    brokenInput: "per-file",
    configFiles: ["pyproject.toml", "ruff.toml", ".ruff.toml"],
    include: ["*.py", "*.pyi", "*.ipynb"],
    defaultTimeoutSec: 120,
    cost: { startupMs: 20, perFileMs: 0.2 },
    homepage: "https://docs.astral.sh/ruff/",
    package: { via: "pip", name: "ruff" },
    class: "fast",
    placement: "local",
  },
  {
    forbiddenArgs: [
      "--fix",
      "--fix-only",
      "--unsafe-fixes",
      "--add-noqa",
      "--add-ignore",
      "--watch",
      "-w",
      "--output-format",
      "--output-file",
      "-o",
      "--diff",
      "--stdin-filename",
    ],
    optionParser: "exact", // clap
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    // --force-exclude keeps the project's own ruff `exclude` in force for files named on the command line.
    // --no-fix and --no-fix-only overrule `fix` and `fix-only` in the project's ruff settings: with `fix-only = true`
    // ruff rewrites files even under --no-fix.
    buildArgs: (files, { userArgs }) => [
      "check",
      "--output-format",
      "json",
      "--no-fix",
      "--no-fix-only",
      "--force-exclude",
      ...userArgs,
      ...files.map(asOperand),
    ],
    embedded: embeddedRuff,
    parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
      if (exitCode !== 0 && exitCode !== 1) {
        return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr)}` };
      }
      let diagnostics: RuffDiagnostic[];
      try {
        diagnostics = JSON.parse(stdout) as RuffDiagnostic[];
      } catch {
        return { kind: "tool-error", message: `printed no JSON report: ${stderrTail(stderr || stdout)}` };
      }
      const findings = diagnostics.map((d): Finding => {
        const finding: Finding = {
          tool: "ruff",
          rule: d.code ?? d.name ?? "syntax-error",
          severity: severityOf(d.severity),
          path: toProjectPath(cwd, d.filename),
          line: d.location?.row ?? 1,
          column: d.location?.column ?? null,
          message: d.message,
        };
        if (d.end_location) {
          finding.endLine = d.end_location.row;
          finding.endColumn = d.end_location.column;
        }
        if (d.url) finding.url = d.url;
        return finding;
      });
      if (exitCode === 1 && findings.length === 0) {
        return { kind: "tool-error", message: `exited 1 without findings: ${stderrTail(stderr)}` };
      }
      return { kind: "findings", findings };
    },
  },
);
