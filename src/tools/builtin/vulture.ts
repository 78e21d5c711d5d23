import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { defineTool, type ParsedRun, type RunTargets, type TargetsContext } from "../tool.js";
import type { Finding } from "../../core/finding.js";
import { lineFindings } from "../reading/line-findings.js";
import { firstVersion, outputLines, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";

const DEAD_CODE = /^(.+?):(\d+): (.+)$/;
/**
 * What vulture prints on stderr about a file it could not analyse, and goes on (vulture/core.py): a syntax error in
 * Python's own words (`path:line: invalid decimal literal at "x = 10L"`; the line is `None` when Python gives none),
 * source with null bytes (`path: invalid source code "..."`), and bytes it cannot decode (two lines, the second
 * `Try to change the encoding to UTF-8.`).
 */
const SYNTAX_ERROR = /^(.+?):(\d+|None): (.*)$/;
const INVALID_SOURCE = /^(.+?): (invalid source code .*)$/;
const UNREADABLE = /^Error: Could not read file (.+?) - (.*)$/;
const UNREADABLE_ADVICE = "Try to change the encoding to UTF-8.";

/** vulture has no rule codes: the kind of dead code ("unused import") becomes the rule, `unused-import`. */
function ruleOf(message: string): string {
  const kind = message.split(/['"(]/, 1)[0] ?? message;
  return (
    kind
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/-+$/, "") || "dead-code"
  );
}

/** The files vulture could not analyse, from its stderr, as findings; or the first line it does not explain. */
function inputErrors(stderr: string, cwd: string): { findings: Finding[] } | { unexpected: string } {
  const findings: Finding[] = [];
  const finding = (file: string, line: number, rule: string, message: string): Finding => ({
    tool: "vulture",
    rule,
    severity: "error",
    path: toProjectPath(cwd, file),
    line,
    column: null,
    message,
  });
  for (const line of outputLines(stderr)) {
    const unreadable = UNREADABLE.exec(line);
    if (unreadable) {
      findings.push(finding(unreadable[1] ?? "", 1, "unreadable-file", `could not read file: ${unreadable[2] ?? ""}`));
      continue;
    }
    if (line === UNREADABLE_ADVICE) continue;
    const invalid = INVALID_SOURCE.exec(line);
    if (invalid) {
      findings.push(finding(invalid[1] ?? "", 1, "syntax-error", invalid[2] ?? ""));
      continue;
    }
    const syntax = SYNTAX_ERROR.exec(line);
    if (syntax) {
      const [, file = "", row = "", message = ""] = syntax;
      findings.push(finding(file, row === "None" ? 1 : Number(row), "syntax-error", message));
      continue;
    }
    return { unexpected: line };
  }
  return { findings };
}

/**
 * vulture ignores `paths` in its `[tool.vulture]` settings (pyproject.toml, or the file `--config` names) when paths are
 * named on its command line: settings with `paths` name what vulture checks, so it gets no files. Its `exclude` it
 * applies to named files too.
 */
async function vultureTargets(files: readonly string[], { cwd, userArgs }: TargetsContext): Promise<RunTargets> {
  const flag = userArgs.findIndex((arg) => arg === "--config" || arg.startsWith("--config="));
  const config =
    flag < 0 ? "pyproject.toml" : userArgs[flag]!.includes("=") ? userArgs[flag]!.slice("--config=".length) : (userArgs[flag + 1] ?? "");
  try {
    const settings = parseToml(await readFile(path.resolve(cwd, config), "utf8")) as { tool?: { vulture?: { paths?: unknown } } };
    const paths = settings.tool?.vulture?.paths;
    if (Array.isArray(paths) && paths.length > 0) return { configured: true };
  } catch {
    // No settings, or unreadable ones: vulture says what is wrong with them itself.
  }
  return { files };
}

/** vulture: dead code; whole-project, because code used only from another file is not dead. */
export default defineTool(
  {
    name: "vulture",
    executable: "vulture",
    scope: "whole-project",
    resultsDependOn: "project",
    brokenInput: "per-file",
    configFiles: ["pyproject.toml"],
    include: ["*.py"],
    defaultTimeoutSec: 300,
    cost: { startupMs: 100, perFileMs: 3 },
    homepage: "https://github.com/jendrikseipp/vulture",
    package: { via: "pip", name: "vulture" },
    class: "fast",
    placement: "local",
  },
  {
    forbiddenArgs: ["--make-whitelist"],
    optionParser: "argparse",
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    targets: vultureTargets,
    buildArgs: (files, { userArgs }) => [...userArgs, ...files.map(asOperand)],
    // Exit codes: 0 clean, 1 invalid input (reported per file on stderr), 2 bad arguments, 3 dead code.
    parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
      if (![0, 1, 3].includes(exitCode) || /Traceback \(most recent call last\)/.test(stderr)) {
        return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      }
      const deadCode = lineFindings(stdout, DEAD_CODE, cwd, { tool: "vulture", severity: "warning", rule: ruleOf });
      if ("unexpected" in deadCode) return { kind: "tool-error", message: `unexpected output: ${deadCode.unexpected}` };
      const broken = inputErrors(stderr, cwd);
      if ("unexpected" in broken) return { kind: "tool-error", message: `unexpected output on stderr: ${broken.unexpected}` };
      const findings = [...deadCode.findings, ...broken.findings];
      if (exitCode !== 0 && findings.length === 0) {
        return { kind: "tool-error", message: `exited ${exitCode} without findings` };
      }
      return { kind: "findings", findings };
    },
  },
);
