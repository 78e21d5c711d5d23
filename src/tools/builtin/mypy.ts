import path from "node:path";
import { defineTool, type ParsedRun, type RunTargets, type TargetsContext, type RunSettings } from "../tool.js";
import type { Finding } from "../../core/finding.js";
import { optionValue } from "../reading/option-reading.js";
import { firstVersion, outputLines, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";
import { askPythonTool } from "../python/targets.js";
import { REPORT_OPTIONS, refuseMypyReports } from "../python/mypy-reports.js";
import { settledMtimes } from "../python/settled-mtimes.js";

/** One line of `mypy --output json`. Columns are 0-based, end columns exclusive. */
interface MypyMessage {
  file: string;
  line: number;
  column: number;
  end_line?: number | null;
  end_column?: number | null;
  message: string;
  hint?: string | null;
  code: string | null;
  // "error" or "note".
  severity: string;
}

/**
 * mypy's incremental cache, kept in the project's state directory between scans so a re-run only re-checks
 * what changed. A scan runs mypy as one process (whole-project), so no two mypy processes of one scan share it.
 */
export const MYPY_CACHE_DIR = ".crackerjack/mypy-cache";

/** One JSON line of mypy's output, or null for a line that is not one. */
function jsonMessage(line: string): MypyMessage | null {
  try {
    const parsed = JSON.parse(line) as MypyMessage | null;
    return typeof parsed === "object" && parsed !== null && "message" in parsed ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * Which of `files` mypy itself checks, asked of mypy's own option and source handling
 * (assets/python/mypy_targets.py): none named when its configuration names them (`files`, `packages`,
 * `modules`), else the files its discovery of the project keeps (`exclude`, a `.pyi` preferred to the `.py` beside
 * it), so `x.py` beside `x.pyi` is not a duplicate module.
 */
function mypyTargets(files: readonly string[], context: TargetsContext): Promise<RunTargets> {
  return askPythonTool("assets/python/mypy_targets.py", files, context);
}

function findingOf(message: MypyMessage, cwd: string): Finding {
  const finding: Finding = {
    tool: "mypy",
    rule: message.code ?? (message.severity === "note" ? "note" : "error"),
    severity: message.severity === "note" ? "info" : "error",
    path: toProjectPath(cwd, message.file),
    line: message.line,
    column: message.column >= 0 ? message.column + 1 : null,
    message: message.message,
  };
  if (typeof message.end_line === "number" && typeof message.end_column === "number") {
    finding.endLine = message.end_line;
    finding.endColumn = message.end_column + 1;
  }
  return finding;
}

/**
 * mypy: static type checker; whole-project (types flow across modules), JSON lines on stdout.
 * Exit 0 clean, 1 type errors, 2 a blocking error: a syntax error in a checked file is a finding, anything else
 * at exit 2 (bad config, missing plugin, bad arguments) means mypy could not check.
 */
export default defineTool(
  {
    name: "mypy",
    executable: "mypy",
    scope: "whole-project",
    resultsDependOn: "project",
    brokenInput: "stops-run",
    readsInstalledPackages: true,
    configFiles: ["mypy.ini", ".mypy.ini", "setup.cfg", "pyproject.toml"],
    include: ["*.py", "*.pyi"],
    defaultTimeoutSec: 900,
    cost: { startupMs: 1500, perFileMs: 60 },
    homepage: "https://mypy-lang.org/",
    package: { via: "pip", name: "mypy" },
    class: "fast",
    placement: "opt-in",
  },
  {
    forbiddenArgs: ["--output", "-O", "--cache-dir", "--install-types", "--non-interactive", "--pretty", "--junit-xml", ...REPORT_OPTIONS],
    optionParser: "argparse-fromfile",
    async runs(override, root): Promise<RunSettings[]> {
      await refuseMypyReports(root, optionValue(override.args ?? [], "--config-file", "argparse-fromfile"));
      return [{ args: [], inputs: {} }];
    },
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    targets: mypyTargets,
    // mypy keeps its cache between scans (MYPY_CACHE_DIR), which trusts whole-second mtimes: see settledMtimes.
    stage: (files, { cwd }) => settledMtimes(files, cwd),
    // Settings files may ask for package installs (--interactive then overrules their non_interactive, which mypy
    // refuses without installs) and a JUnit file in the project; the command line overrules them.
    buildArgs: (files, { userArgs, taskDir }) => [
      "--output",
      "json",
      "--cache-dir",
      MYPY_CACHE_DIR,
      "--no-error-summary",
      "--no-install-types",
      "--interactive",
      "--junit-xml",
      path.join(taskDir, "junit.xml"),
      ...userArgs,
      ...files.map(asOperand),
    ],
    parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
      if (![0, 1, 2].includes(exitCode)) {
        return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      }
      const messages: MypyMessage[] = [];
      for (const line of outputLines(stdout)) {
        const message = jsonMessage(line);
        if (message === null) return { kind: "tool-error", message: `exited ${exitCode}: ${line}` };
        messages.push(message);
      }
      if (exitCode === 2 && (messages.length === 0 || messages.some((message) => message.code !== "syntax"))) {
        // Errors that stop mypy before it checks anything (a plugin it cannot import) come as JSON on stderr.
        const why = [...messages, ...outputLines(stderr).map(jsonMessage)].find((message) => message !== null && message.code !== "syntax");
        return {
          kind: "tool-error",
          message: `exited 2: ${why ? `${why.file}:${why.line}: ${why.message}` : stderrTail(stderr || stdout)}`,
        };
      }
      const findings = messages.map((message) => findingOf(message, cwd));
      // With `--output json` mypy exits 1 when it printed notes alone (an untyped function's body it did not check),
      // where its text output exits 0: notes are its findings then, not a failure. Exit 1 with nothing printed is one.
      const notesAlone = exitCode === 1 && findings.length > 0;
      if (exitCode !== 0 && !notesAlone && !findings.some((finding) => finding.severity === "error")) {
        return { kind: "tool-error", message: `exited ${exitCode} without errors: ${stderrTail(stderr || stdout)}` };
      }
      // Exit 2 with syntax errors only: mypy stopped at the first broken file and checked nothing else.
      if (exitCode === 2)
        return { kind: "findings", findings, coverage: { kind: "stopped", by: [...new Set(findings.map((finding) => finding.path))] } };
      return { kind: "findings", findings };
    },
  },
);
