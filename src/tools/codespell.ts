import type { ParsedRun, ToolAdapter } from "./adapter.js";
import { lineFindings } from "./line-findings.js";
import { firstVersion, stderrTail } from "./output-lines.js";
import { asOperand } from "./project-path.js";

const MISSPELLING = /^(.+?):(\d+): (.+? ==> .+)$/;

/** codespell: common misspellings in any text file; exit 65 = misspellings found, 64 = bad usage. */
export const codespell: ToolAdapter = {
  name: "codespell",
  executable: "codespell",
  scope: "per-file",
  resultsDependOn: "own-file",
  brokenInput: "per-file",
  configFiles: ["pyproject.toml", "setup.cfg", ".codespellrc"],
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
      return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
    }
    const parsed = lineFindings(stdout, MISSPELLING, cwd, { tool: "codespell", severity: "warning", rule: () => "misspelling" });
    if ("unexpected" in parsed) return { kind: "tool-error", message: `unexpected output: ${parsed.unexpected}` };
    const { findings } = parsed;
    if (exitCode === 65 && findings.length === 0) {
      return { kind: "tool-error", message: `exited 65 without findings: ${stderrTail(stderr)}` };
    }
    return { kind: "findings", findings };
  },
};
