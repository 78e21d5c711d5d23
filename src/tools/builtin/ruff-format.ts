import type { Finding } from "../../core/finding.js";
import { firstVersion, outputLines, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";
import { defineTool, type ParsedRun } from "../tool.js";

// A file header of the unified diff (`--- path`), and a hunk header (`@@ -12,3 +12,4 @@`).
const FILE_HEADER = /^--- (.+)$/;
const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/;
// What ruff prints on stderr about a file it could not parse, and goes on with the others.
const PARSE_FAILURE = /^error: Failed to parse (.+?):(\d+):(\d+): (.*)$/;
// Its summary lines on stderr ("1 file would be reformatted, 3 files already formatted").
const SUMMARY = /^\d+ files? (would be reformatted|already formatted|left unchanged)/;

/** One finding per hunk of the diff: where `ruff format` would change the file, and how many lines. */
function diffFindings(stdout: string, cwd: string): Finding[] {
  const findings: Finding[] = [];
  let file: string | undefined;
  for (const line of stdout.split("\n")) {
    const header = FILE_HEADER.exec(line);
    if (header) {
      file = header[1];
      continue;
    }
    const hunk = HUNK_HEADER.exec(line);
    if (!hunk || file === undefined) continue;
    const start = Number(hunk[1]);
    const length = hunk[2] === undefined ? 1 : Number(hunk[2]);
    findings.push({
      tool: "ruff-format",
      rule: "format",
      severity: "warning",
      path: toProjectPath(cwd, file),
      line: Math.max(start, 1),
      column: null,
      endLine: Math.max(start + length - 1, 1),
      message: `not formatted as ruff format would format it (${length === 1 ? "1 line" : `${length} lines`})`,
    });
  }
  return findings;
}

/**
 * ruff format, checking only: `ruff format --check --diff` never writes, and its diff says where each file would change.
 * Per-file. Exit 0 formatted, 1 would reformat, 2 a file it could not parse (said on stderr; the others are checked) or
 * an error. Opt-in: no default list names it.
 */
export default defineTool(
  {
    name: "ruff-format",
    homepage: "https://docs.astral.sh/ruff/formatter/",
    executable: "ruff",
    package: { via: "pip", name: "ruff" },
    scope: "per-file",
    resultsDependOn: "own-file",
    brokenInput: "per-file",
    class: "fast",
    placement: "opt-in",
    include: ["*.py", "*.pyi", "*.ipynb"],
    configFiles: ["pyproject.toml", "ruff.toml", ".ruff.toml"],
    defaultTimeoutSec: 120,
    cost: { startupMs: 20, perFileMs: 0.2 },
  },
  {
    optionParser: "exact",
    // --check and --diff are always passed: nothing may turn them into a format that writes.
    forbiddenArgs: ["--no-check", "--stdin-filename", "--output-format"],
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    // --force-exclude keeps the project's ruff `exclude` in force for files named on the command line.
    buildArgs: (files, { userArgs }) => [
      "format",
      "--check",
      "--diff",
      "--force-exclude",
      "--no-cache",
      ...userArgs,
      ...files.map(asOperand),
    ],
    parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
      if (exitCode !== 0 && exitCode !== 1 && exitCode !== 2)
        return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      const findings = diffFindings(stdout, cwd);
      for (const line of outputLines(stderr)) {
        const failure = PARSE_FAILURE.exec(line);
        if (failure) {
          const [, file = "", row = "", col = "", message = ""] = failure;
          findings.push({
            tool: "ruff-format",
            rule: "parse-error",
            severity: "error",
            path: toProjectPath(cwd, file),
            line: Number(row),
            column: Number(col),
            message,
          });
          continue;
        }
        if (SUMMARY.test(line) || line.startsWith("warning:")) continue;
        return { kind: "tool-error", message: `unexpected output: ${line}` };
      }
      if (exitCode !== 0 && findings.length === 0)
        return { kind: "tool-error", message: `exited ${exitCode} without findings: ${stderrTail(stderr || stdout)}` };
      return { kind: "findings", findings };
    },
  },
);
