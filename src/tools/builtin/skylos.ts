import { existsSync } from "node:fs";
import path from "node:path";
import { defineTool, type ParsedRun } from "../tool.js";
import type { Finding, Severity } from "../../core/finding.js";
import { firstVersion, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";
import { askPythonTool } from "../python/targets.js";

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
  /** In analysis errors: why the file was not analysed (`syntax_error`, `worker_crash`, ...). */
  kind?: string;
}

type SkylosReport = Record<string, SkylosEntry[] | undefined>;

/** Dead-code lists of the report, each with the rule its entries get. */
const DEAD_CODE_RULES: Readonly<Record<string, string>> = {
  unused_functions: "unused-function",
  unused_imports: "unused-import",
  unused_classes: "unused-class",
  unused_variables: "unused-variable",
  unused_parameters: "unused-parameter",
  unused_files: "unused-file",
};
/** Lists whose entries carry their own rule id and severity. */
const RULE_LISTS = ["danger", "secrets", "quality", "analysis_errors"];
/**
 * Analysis errors that say a file's content cannot be analysed, which another run would say again. Any other kind
 * (a worker that crashed or returned nothing, a verification pass cut short) means this run was incomplete.
 */
const CONTENT_ERRORS: ReadonlySet<string> = new Set(["syntax_error", "source_read_error"]);

function severityOf(raw: string | undefined): Severity {
  if (raw === "CRITICAL" || raw === "HIGH") return "error";
  if (raw === "LOW" || raw === "INFO") return "info";
  return "warning";
}

// What makes a folder skylos's root (skylos/analyzer.py, _resolve_analysis_root).
const ROOT_MARKERS = ["pyproject.toml", "package.json", "setup.py", ".git"];

/** The nearest folder at or above `dir` with a root marker, as skylos looks for it; `dir` when there is none. */
function markedRoot(dir: string): string {
  for (let probe = dir; ; probe = path.dirname(probe)) {
    if (ROOT_MARKERS.some((marker) => existsSync(path.join(probe, marker)))) return probe;
    if (path.dirname(probe) === probe) return dir;
  }
}

/**
 * Where a secret's file is. skylos names it relative to the root it finds for itself (the nearest folder above its
 * operands' common folder with a root marker, or a JS workspace), so the file is the operand that ends with that
 * relative path; when several do, the one under the deepest root. A file skylos found itself (a config file beside
 * the code) is taken from the marked root.
 */
function secretFile(relative: string, args: readonly string[], cwd: string): string {
  const suffix = relative.split("/").join(path.sep);
  const operands = args.filter((arg) => arg.startsWith("./") || arg.startsWith("/")).map((arg) => path.resolve(cwd, arg));
  const candidates = operands.filter((file) => file.endsWith(path.sep + suffix)).sort((a, b) => b.length - a.length);
  if (candidates[0] !== undefined) return candidates[0];
  const common = operands.reduce(
    (dir, file) => {
      while (path.dirname(dir) !== dir && !file.startsWith(dir + path.sep)) dir = path.dirname(dir);
      return dir;
    },
    path.dirname(operands[0] ?? path.join(cwd, "x")),
  );
  return path.resolve(markedRoot(common), relative);
}

/**
 * skylos: dead code, security flows and secrets (`--danger --secrets`); whole-project, because a function used
 * from another file is not dead. JSON on stdout. skylos exits 0 whatever it finds (the gate is off), and 2 with its
 * report when its analysis was incomplete; any other exit, or output that is not its JSON report, means it crashed.
 * Secrets are reported by rule and place only: the report's partial `preview` of the secret is never copied.
 */
export default defineTool(
  {
    name: "skylos",
    executable: "skylos",
    scope: "whole-project",
    resultsDependOn: "project",
    brokenInput: "per-file",
    configFiles: ["pyproject.toml"],
    include: ["*.py"],
    defaultTimeoutSec: 600,
    cost: { startupMs: 700, perFileMs: 15 },
    homepage: "https://github.com/duriantaco/skylos",
    package: { via: "pip", name: "skylos" },
    class: "fast",
    placement: "pooled",
  },
  {
    // Options that upload, call a model or the network, rewrite files, or change the report format.
    forbiddenArgs: [
      "--json",
      "--format",
      "--output",
      "-o",
      "--sarif",
      "--llm",
      "--tui",
      "--tree",
      "--upload",
      "--verify",
      "--verify-security",
      "--sca",
      "-a",
      "--all",
      "--scan-publisher-changes",
      "--interactive",
      "-i",
      "--comment-out",
      "--trace",
      "--coverage",
      "--allow-coverage-execution",
      "--pytest-fixtures",
      "--gate",
      "--force",
      "-f",
    ],
    optionParser: "argparse",
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    // skylos leaves out its default and configured folders (build, vendor, `exclude`) only when it walks a directory.
    targets: (files, context) => askPythonTool("assets/python/skylos_targets.py", files, context),
    buildArgs: (files, { userArgs }) => ["--json", "--danger", "--secrets", "--no-upload", ...userArgs, ...files.map(asOperand)],
    parse({ exitCode, stdout, stderr, cwd, args }): ParsedRun {
      // Exit 2 with a report: the analysis was incomplete (its analysis_errors say why: a comparison it could not make in a
      // repository with no commit yet, a search that ran out of time); what it found is reported, never remembered.
      let report: SkylosReport | undefined;
      try {
        report =
          (exitCode === 0 || exitCode === 2) && stdout.trimStart().startsWith("{") ? (JSON.parse(stdout) as SkylosReport) : undefined;
      } catch {
        report = undefined;
      }
      if (report === undefined || (exitCode === 2 && (report.analysis_errors ?? []).length === 0)) {
        return {
          kind: "tool-error",
          message:
            exitCode === 0
              ? `printed no JSON report: ${stderrTail(stderr || stdout)}`
              : `exited ${exitCode}: ${stderrTail(stderr || stdout)}`,
        };
      }
      const place = (list: string, entry: SkylosEntry) => {
        const file = entry.file ?? "";
        // Secrets come relative to skylos's own root, everything else absolute.
        const absolute = list === "secrets" && !path.isAbsolute(file) ? secretFile(file, args, cwd) : path.resolve(cwd, file);
        return { path: toProjectPath(cwd, absolute), line: entry.line ?? 1 };
      };
      const findings: Finding[] = [];
      for (const [list, rule] of Object.entries(DEAD_CODE_RULES)) {
        for (const entry of report[list] ?? []) {
          findings.push({
            tool: "skylos",
            rule,
            severity: "warning",
            ...place(list, entry),
            column: null,
            message: `${rule.replace("-", " ")} '${entry.name ?? ""}'`,
          });
        }
      }
      const unfinished = new Set<string>();
      for (const list of RULE_LISTS) {
        for (const entry of report[list] ?? []) {
          const column = list === "analysis_errors" ? entry.column : entry.col === undefined ? undefined : entry.col + 1;
          const finding: Finding = {
            tool: "skylos",
            rule: entry.rule_id ?? list,
            severity: severityOf(entry.severity),
            ...place(list, entry),
            column: column ?? null,
            message: entry.message ?? "",
          };
          if (list === "analysis_errors" && !CONTENT_ERRORS.has(entry.kind ?? "")) unfinished.add(finding.path);
          findings.push(finding);
        }
      }
      if (unfinished.size > 0) return { kind: "findings", findings, coverage: { kind: "partial", files: [...unfinished] } };
      return { kind: "findings", findings };
    },
  },
);
