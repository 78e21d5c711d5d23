import path from "node:path";
import type { ToolOverride } from "../config/types.js";
import { UserError } from "../user-error.js";
import type { ParsedRun, ToolAdapter, ToolSettings } from "./adapter.js";
import type { Finding } from "./finding.js";
import { optionValue } from "./option-reading.js";
import { firstVersion, outputLines, stderrTail } from "./output-lines.js";
import { asOperand, toProjectPath } from "./project-path.js";
import { iniSection, tomlTable } from "./settings-files.js";

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
/** mypy's report options: each writes a report directory (or file) where it is told, the project included. */
const REPORT_OPTIONS = [
  "--any-exprs-report", "--cobertura-xml-report", "--html-report", "--linecount-report", "--linecoverage-report",
  "--lineprecision-report", "--txt-report", "--xml-report", "--xslt-html-report", "--xslt-txt-report",
];

/**
 * Refuses mypy settings that write reports (`html_report = dir`, any `*_report`): the command line cannot turn them
 * off. mypy reads the file `--config-file` names, else the first of these it finds; all of them are checked.
 */
async function reportSettingsProblem(override: ToolOverride, root: string): Promise<void> {
  const named = optionValue(override.args ?? [], "--config-file", "argparse-fromfile");
  const files = named === undefined ? ["mypy.ini", ".mypy.ini", "setup.cfg"] : [named];
  const entries = [
    ...(await Promise.all(files.map((file) => iniSection(root, file, "mypy")))).flat(),
    ...(named === undefined || named.endsWith(".toml") ? await tomlTable(root, named ?? "pyproject.toml", ["tool", "mypy"]) : []),
  ];
  const report = entries.find((entry) => entry.key.endsWith("_report"));
  if (report) {
    throw new UserError(`${report.file}:${report.line}: mypy setting "${report.key}" is not allowed: it writes a report into the project, and jackpool scan never lets a tool write files`);
  }
}

/** One JSON line of mypy's output, or null for a line that is not one. */
function jsonMessage(line: string): MypyMessage | null {
  try {
    const parsed = JSON.parse(line) as MypyMessage | null;
    return typeof parsed === "object" && parsed !== null && "message" in parsed ? parsed : null;
  } catch {
    return null;
  }
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
export const mypy: ToolAdapter = {
  name: "mypy",
  executable: "mypy",
  scope: "whole-project",
  resultsDependOn: "project",
  readsInstalledPackages: true,
  configFiles: ["mypy.ini", ".mypy.ini", "setup.cfg", "pyproject.toml"],
  include: ["*.py", "*.pyi"],
  defaultTimeoutSec: 900,
  cost: { startupMs: 1500, perFileMs: 60 },
  installHint: "pip install mypy==2.4.1",
  forbiddenArgs: ["--output", "-O", "--cache-dir", "--install-types", "--non-interactive", "--pretty", "--junit-xml", ...REPORT_OPTIONS],
  optionParser: "argparse-fromfile",
  async settings(override, root): Promise<ToolSettings[]> {
    await reportSettingsProblem(override, root);
    return [{ args: [], inputs: {} }];
  },
  versionArgs: ["--version"],
  parseVersion: firstVersion,
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
      return { kind: "tool-error", message: `mypy exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
    }
    const messages: MypyMessage[] = [];
    for (const line of outputLines(stdout)) {
      const message = jsonMessage(line);
      if (message === null) return { kind: "tool-error", message: `mypy exited ${exitCode}: ${line}` };
      messages.push(message);
    }
    if (exitCode === 2 && (messages.length === 0 || messages.some((message) => message.code !== "syntax"))) {
      // Errors that stop mypy before it checks anything (a plugin it cannot import) come as JSON on stderr.
      const why = [...messages, ...outputLines(stderr).map(jsonMessage)].find((message) => message !== null && message.code !== "syntax");
      return {
        kind: "tool-error",
        message: `mypy exited 2: ${why ? `${why.file}:${why.line}: ${why.message}` : stderrTail(stderr || stdout)}`,
      };
    }
    const findings = messages.map((message) => findingOf(message, cwd));
    if (exitCode !== 0 && !findings.some((finding) => finding.severity === "error")) {
      return { kind: "tool-error", message: `mypy exited ${exitCode} without errors: ${stderrTail(stderr || stdout)}` };
    }
    return { kind: "findings", findings };
  },
};
