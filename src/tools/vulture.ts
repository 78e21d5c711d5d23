import type { ParsedRun, ToolAdapter } from "./adapter.js";
import { lineFindings } from "./line-findings.js";
import { firstVersion, stderrTail } from "./output-lines.js";
import { asOperand } from "./project-path.js";

const DEAD_CODE = /^(.+?):(\d+): (.+)$/;
const SYNTAX_ERROR = /^(.+?):(\d+): (invalid syntax.*)$/;

/** vulture has no rule codes: the kind of dead code ("unused import") becomes the rule, `unused-import`. */
function ruleOf(message: string): string {
  const kind = message.split(/['"(]/, 1)[0] ?? message;
  return kind.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/-+$/, "") || "dead-code";
}

/** vulture: dead code; whole-project, because code used only from another file is not dead. */
export const vulture: ToolAdapter = {
  name: "vulture",
  executable: "vulture",
  scope: "whole-project",
  resultsDependOn: "project",
  configFiles: ["pyproject.toml"],
  include: ["*.py"],
  defaultTimeoutSec: 300,
  cost: { startupMs: 100, perFileMs: 3 },
  installHint: "pip install vulture==2.16",
  forbiddenArgs: ["--make-whitelist"],
  optionParser: "argparse",
  versionArgs: ["--version"],
  parseVersion: firstVersion,
  buildArgs: (files, { userArgs }) => [...userArgs, ...files.map(asOperand)],
  // Exit codes: 0 clean, 1 unreadable input (reported per file on stderr), 2 bad arguments, 3 dead code.
  parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
    if (![0, 1, 3].includes(exitCode) || /Traceback \(most recent call last\)/.test(stderr)) {
      return { kind: "tool-error", message: `vulture exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
    }
    const deadCode = lineFindings(stdout, DEAD_CODE, cwd, { tool: "vulture", severity: "warning", rule: ruleOf });
    if ("unexpected" in deadCode) return { kind: "tool-error", message: `vulture: unexpected output: ${deadCode.unexpected}` };
    // Files vulture cannot parse are named on stderr, one per line; anything else there is trouble.
    const syntax = lineFindings(stderr, SYNTAX_ERROR, cwd, { tool: "vulture", severity: "error", rule: () => "syntax-error" });
    if ("unexpected" in syntax) return { kind: "tool-error", message: `vulture: ${syntax.unexpected}` };
    const findings = [...deadCode.findings, ...syntax.findings];
    if (exitCode !== 0 && findings.length === 0) {
      return { kind: "tool-error", message: `vulture exited ${exitCode} without findings` };
    }
    return { kind: "findings", findings };
  },
};
