import type { ParsedRun, ToolAdapter } from "./adapter.js";
import type { Finding } from "./finding.js";
import { firstVersion, outputLines, stderrTail } from "./output-lines.js";
import { asOperand, toProjectPath } from "./project-path.js";

const MISSPELLING = /^(.+?):(\d+): (.+? ==> .+)$/;

/** codespell: common misspellings in any text file; exit 65 = misspellings found, 64 = bad usage. */
export const codespell: ToolAdapter = {
  name: "codespell",
  executable: "codespell",
  scope: "per-file",
  include: ["*"],
  defaultTimeoutSec: 300,
  cost: { startupMs: 100, perFileMs: 0.7 },
  installHint: "pip install codespell==2.4.3",
  forbiddenArgs: ["-w", "--write-changes", "-i", "--interactive", "--count"],
  versionArgs: ["--version"],
  parseVersion: firstVersion,
  buildArgs: (files, { userArgs }) => [...userArgs, ...files.map(asOperand)],
  parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
    if (exitCode !== 0 && exitCode !== 65) {
      return { kind: "tool-error", message: `codespell exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
    }
    const findings: Finding[] = [];
    for (const line of outputLines(stdout)) {
      const match = MISSPELLING.exec(line);
      if (!match) return { kind: "tool-error", message: `codespell: unexpected output: ${line}` };
      const [, file = "", row = "", message = ""] = match;
      findings.push({
        tool: "codespell",
        rule: "misspelling",
        severity: "warning",
        path: toProjectPath(cwd, file),
        line: Number(row),
        column: null,
        message,
      });
    }
    if (exitCode === 65 && findings.length === 0) {
      return { kind: "tool-error", message: `codespell exited 65 without findings: ${stderrTail(stderr)}` };
    }
    return { kind: "findings", findings };
  },
};
