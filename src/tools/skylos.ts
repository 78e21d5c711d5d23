import path from "node:path";
import type { ParsedRun, ToolAdapter } from "./adapter.js";
import type { Finding, Severity } from "./finding.js";
import { firstVersion, stderrTail } from "./output-lines.js";
import { asOperand, toProjectPath } from "./project-path.js";

/** The fields jackpool reads from any entry of skylos's JSON report. */
interface SkylosEntry {
  rule_id?: string;
  severity?: string;
  message?: string;
  file?: string;
  line?: number;
  /** 0-based; `column` in analysis errors (1-based there, like Python's SyntaxError.offset). */
  col?: number;
  column?: number;
  name?: string;
}

type SkylosReport = Record<string, SkylosEntry[] | undefined>;

/** Dead-code lists of the report: the list name, less `unused_`, becomes the rule (`unused-function`). */
const DEAD_CODE_LISTS = ["unused_functions", "unused_imports", "unused_classes", "unused_variables", "unused_parameters", "unused_files"];
/** Lists whose entries carry their own rule id and severity. */
const RULE_LISTS = ["danger", "secrets", "quality", "analysis_errors"];

function severityOf(raw: string | undefined): Severity {
  if (raw === "CRITICAL" || raw === "HIGH") return "error";
  if (raw === "LOW" || raw === "INFO") return "info";
  return "warning";
}

/** The deepest directory holding every file operand: skylos reports secrets relative to it. */
function scanRoot(args: readonly string[], cwd: string): string {
  const dirs = args.filter((arg) => arg.startsWith("./") || arg.startsWith("/")).map((arg) => path.dirname(path.resolve(cwd, arg)));
  let root = dirs[0] ?? cwd;
  for (const dir of dirs) {
    while (dir !== root && !dir.startsWith(root + path.sep)) root = path.dirname(root);
  }
  return root;
}

/**
 * skylos: dead code, security flows and secrets (`--danger --secrets`); whole-project, because a function used
 * from another file is not dead. JSON on stdout. skylos exits 0 whatever it finds (the gate is off), so any
 * other exit, or output that is not its JSON report, means it crashed.
 * Secrets are reported by rule and place only: the report's partial `preview` of the secret is never copied.
 */
export const skylos: ToolAdapter = {
  name: "skylos",
  executable: "skylos",
  scope: "whole-project",
  resultsDependOn: "project",
  configFiles: ["pyproject.toml"],
  include: ["*.py"],
  defaultTimeoutSec: 600,
  cost: { startupMs: 700, perFileMs: 15 },
  installHint: "pip install skylos==5.1.2",
  // Options that upload, call a model or the network, rewrite files, or change the report format.
  forbiddenArgs: [
    "--json", "--format", "--output", "-o", "--sarif", "--llm", "--tui", "--tree", "--upload", "--verify", "--verify-security",
    "--sca", "-a", "--all", "--scan-publisher-changes", "--interactive", "-i", "--comment-out", "--trace", "--coverage",
    "--allow-coverage-execution", "--pytest-fixtures", "--gate", "--force", "-f",
  ],
  optionParser: "argparse",
  versionArgs: ["--version"],
  parseVersion: firstVersion,
  buildArgs: (files, { userArgs }) => ["--json", "--danger", "--secrets", "--no-upload", ...userArgs, ...files.map(asOperand)],
  parse({ exitCode, stdout, stderr, cwd, args }): ParsedRun {
    if (exitCode !== 0) return { kind: "tool-error", message: `skylos exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
    let report: SkylosReport;
    try {
      report = JSON.parse(stdout) as SkylosReport;
    } catch {
      return { kind: "tool-error", message: `skylos printed no JSON report: ${stderrTail(stderr || stdout)}` };
    }
    const root = scanRoot(args, cwd);
    const place = (entry: SkylosEntry) => ({
      // Secrets come relative to the scanned directory, everything else absolute.
      path: toProjectPath(cwd, path.resolve(root, entry.file ?? "")),
      line: entry.line ?? 1,
    });
    const findings: Finding[] = [];
    for (const list of DEAD_CODE_LISTS) {
      for (const entry of report[list] ?? []) {
        const kind = list.replace(/^unused_/, "unused-").replace(/s$/, "");
        findings.push({ tool: "skylos", rule: kind, severity: "warning", ...place(entry), column: null, message: `${kind.replace("-", " ")} '${entry.name ?? ""}'` });
      }
    }
    for (const list of RULE_LISTS) {
      for (const entry of report[list] ?? []) {
        const column = list === "analysis_errors" ? entry.column : entry.col === undefined ? undefined : entry.col + 1;
        findings.push({
          tool: "skylos",
          rule: entry.rule_id ?? list,
          severity: severityOf(entry.severity),
          ...place(entry),
          column: column ?? null,
          message: entry.message ?? "",
        });
      }
    }
    return { kind: "findings", findings };
  },
};
