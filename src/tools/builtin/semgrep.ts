import { existsSync } from "node:fs";
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import ignore from "ignore";
import { UserError } from "../../core/errors.js";
import { stringList } from "../settings-schema.js";
import { defineTool, type ParsedRun, type RunTargets, type TargetsContext, type RunSettings } from "../tool.js";
import type { Finding, Severity } from "../../core/finding.js";
import { firstVersion, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";
import { SHIPPED_RULES_LABEL, networkConfigProblem, shippedRulesFile } from "../semgrep-rules.js";

interface SemgrepPosition {
  line: number;
  col: number;
}

interface SemgrepResult {
  check_id: string;
  path: string;
  start: SemgrepPosition;
  end?: SemgrepPosition;
  extra: { message?: string; severity?: string };
}

interface SemgrepError {
  level?: string;
  type?: string | unknown[];
  message?: string;
  long_msg?: string;
  path?: string;
  spans?: { file?: string; start?: SemgrepPosition }[];
}

const CONFIG_FLAGS = ["--config", "-c", "-f"];
/**
 * Error types that say semgrep ran out of time or memory on a file (semgrep_output_v1's error_type: `Timeout`,
 * `Out of memory`, `Stack overflow`, their interfile forms, `Fatal error`): the file was not fully analysed, and
 * another run, on a quieter machine, may finish it. A parse error is the file's own and would come again.
 */
const UNFINISHED_ERROR = /timeout|memory|\boom\b|stack overflow|fatal/i;

function severityOf(raw: string | undefined): Severity {
  if (raw === "ERROR" || raw === "CRITICAL" || raw === "HIGH") return "error";
  if (raw === "INFO" || raw === "LOW") return "info";
  return "warning";
}

/**
 * semgrep names a rule `<dirs of its rule file>.<id>`, with the file's path taken relative to the working
 * directory when inside it (rule_lang.py, convert_config_id_to_prefix). These are those prefixes for the
 * `--config` paths of a run, so findings carry the id the rule file declares wherever the file lives.
 */
function rulePrefixes(args: readonly string[], cwd: string): string[] {
  const prefixes: string[] = [];
  args.forEach((arg, index) => {
    const config = args[index + 1];
    if (arg !== "--config" || config === undefined) return;
    const absolute = path.resolve(cwd, config);
    const inside = absolute.startsWith(cwd + path.sep) ? path.relative(cwd, absolute) : absolute;
    const dirs = path
      .dirname(inside)
      .split(path.sep)
      .filter((part) => part !== "" && part !== ".");
    const prefix = dirs
      .join(".")
      .replace(/^[./]+/, "")
      .replace(/[^a-zA-Z0-9._-]/g, "");
    if (prefix !== "") prefixes.push(`${prefix}.`);
  });
  return prefixes.sort((a, b) => b.length - a.length);
}

function ruleIdOf(checkId: string, prefixes: readonly string[]): string {
  const prefix = prefixes.find((candidate) => checkId.startsWith(candidate));
  return prefix ? checkId.slice(prefix.length) : checkId;
}

function errorText(error: SemgrepError): string {
  return (error.message ?? error.long_msg ?? JSON.stringify(error.type)).split("\n")[0] ?? "";
}

/** Rule files under a configured directory (semgrep reads every YAML file there). */
async function ruleFilesUnder(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true });
  return names
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => path.join(dir, name))
    .sort();
}

/** Cache-key inputs for the configured rule paths: every rule file's content, under its project-relative path. */
async function ruleInputs(config: readonly string[], root: string): Promise<Record<string, string>> {
  const inputs: Record<string, string> = {};
  for (const entry of config) {
    const absolute = path.resolve(root, entry);
    if (!existsSync(absolute)) throw new UserError(`pool_scanning.tools.semgrep.config: rule file "${entry}" not found in ${root}`);
    const files = (await stat(absolute)).isDirectory() ? await ruleFilesUnder(absolute) : [absolute];
    for (const file of files) inputs[toProjectPath(root, file)] = file;
  }
  return inputs;
}

/**
 * semgrep scans files named on its command line even when the project's `.semgrepignore` names them (it applies the
 * file only to the directories it walks): jackpool applies it, gitignore syntax with semgrep's `:include FILE` lines
 * (usually `:include .gitignore`). Without the file, semgrep's built-in list (tests/, build/ ...) is its default for
 * walks, not the project's choice, and files are named as pre-commit names them.
 */
async function semgrepTargets(files: readonly string[], { cwd }: TargetsContext): Promise<RunTargets> {
  const read = (file: string): Promise<string | null> => readFile(path.join(cwd, file), "utf8").catch(() => null);
  const own = await read(".semgrepignore");
  if (own === null) return { files };
  const patterns: string[] = [];
  for (const line of own.split(/\r?\n/)) {
    const included = /^:include\s+(.+?)\s*$/.exec(line);
    if (included) patterns.push(...((await read(included[1] ?? "")) ?? "").split(/\r?\n/));
    else patterns.push(line);
  }
  const ignored = ignore().add(patterns);
  return { files: files.filter((file) => !ignored.ignores(file)) };
}

/**
 * semgrep: pattern rules, per-file, run offline and privately: no metrics, no version check, rules only from
 * local files (`tools.semgrep.config`, else jackpool's shipped Python security rules), settings and logs in the
 * task directory instead of the user's home. `--json` on stdout; exit 0 whatever it finds, anything else failed.
 */
export default defineTool(
  {
    name: "semgrep",
    executable: "semgrep",
    scope: "per-file",
    resultsDependOn: "own-file",
    brokenInput: "per-file",
    configFiles: [".semgrepignore", ".gitignore"],
    include: ["*.py", "*.pyi"],
    defaultTimeoutSec: 600,
    cost: { startupMs: 1500, perFileMs: 15 },
    homepage: "https://semgrep.dev/",
    package: { via: "pip", name: "semgrep" },
    class: "security",
    placement: "pooled",
    // Local rule files or directories, project-relative; default: jackpool's shipped Python security rules.
    settings: { config: stringList() },
  },
  {
    forbiddenArgs: [
      ...CONFIG_FLAGS,
      "--json",
      "--sarif",
      "--text",
      "--emacs",
      "--vim",
      "--gitlab-sast",
      "--gitlab-secrets",
      "--junit-xml",
      "--output",
      "-o",
      "--autofix",
      "-a",
      "--dryrun",
      "--metrics",
      "--enable-version-check",
      "--pro",
      "--secrets",
      "--test",
    ],
    optionParser: "exact", // click
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    settingsProblem(override) {
      const configArg = (override.args ?? []).find((arg) => CONFIG_FLAGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));
      if (configArg !== undefined) {
        return {
          keys: ["args"],
          problem: `"${configArg}" is not allowed: semgrep's rules come from tools.semgrep.config (local rule files)`,
        };
      }
      for (const [index, value] of (override.config ?? []).entries()) {
        const problem = networkConfigProblem(value);
        if (problem)
          return { keys: ["config", String(index)], problem: `${problem}: jackpool runs semgrep offline, with local rule files only` };
      }
      return undefined;
    },
    async runs(override, root): Promise<RunSettings[]> {
      const config = override.config ?? [];
      if (config.length > 0) {
        const relative = config.map((entry) => (path.isAbsolute(entry) ? entry : asOperand(path.posix.normalize(entry))));
        return [{ args: relative.flatMap((entry) => ["--config", entry]), inputs: await ruleInputs(config, root) }];
      }
      const shipped = shippedRulesFile();
      if (shipped === null) {
        throw new UserError(
          "semgrep: jackpool's default rules (assets/semgrep-rules/python-security.yml) are missing; set pool_scanning.tools.semgrep.config to your rule files",
        );
      }
      return [{ args: ["--config", shipped], inputs: { [SHIPPED_RULES_LABEL]: shipped } }];
    },
    environment: ({ taskDir }) => ({
      HOME: taskDir,
      XDG_CONFIG_HOME: taskDir,
      XDG_CACHE_HOME: taskDir,
      SEMGREP_SETTINGS_FILE: path.join(taskDir, "semgrep-settings.yml"),
      SEMGREP_LOG_FILE: path.join(taskDir, "semgrep.log"),
      SEMGREP_VERSION_CACHE_PATH: path.join(taskDir, "semgrep-version"),
      SEMGREP_ENABLE_VERSION_CHECK: "0",
      SEMGREP_SEND_METRICS: "off",
    }),
    targets: semgrepTargets,
    buildArgs: (files, { userArgs }) => [
      "scan",
      "--json",
      "--quiet",
      "--metrics=off",
      "--disable-version-check",
      ...userArgs,
      ...files.map(asOperand),
    ],
    parse({ exitCode, stdout, stderr, cwd, args }): ParsedRun {
      let report: { results?: SemgrepResult[]; errors?: SemgrepError[] };
      try {
        report = JSON.parse(stdout) as typeof report;
      } catch {
        return { kind: "tool-error", message: `exited ${exitCode} with no JSON report: ${stderrTail(stderr || stdout)}` };
      }
      const errors = report.errors ?? [];
      if (exitCode !== 0) {
        return { kind: "tool-error", message: `exited ${exitCode}: ${errors.map(errorText).join(" | ") || stderrTail(stderr)}` };
      }
      const prefixes = rulePrefixes(args, cwd);
      const findings = (report.results ?? []).map((result): Finding => {
        const finding: Finding = {
          tool: "semgrep",
          rule: ruleIdOf(result.check_id, prefixes),
          severity: severityOf(result.extra.severity),
          path: toProjectPath(cwd, result.path),
          line: result.start.line,
          column: result.start.col,
          message: result.extra.message ?? "",
        };
        if (result.end) {
          finding.endLine = result.end.line;
          finding.endColumn = result.end.col;
        }
        return finding;
      });
      // Problems with one target (a file semgrep could not parse) are findings on that file; any other error is a failure.
      const unfinished = new Set<string>();
      for (const error of errors) {
        const file = error.path ?? error.spans?.[0]?.file;
        if (file === undefined) return { kind: "tool-error", message: errorText(error) };
        const type = Array.isArray(error.type) ? String(error.type[0]) : (error.type ?? "error");
        if (UNFINISHED_ERROR.test(type)) unfinished.add(toProjectPath(cwd, file));
        findings.push({
          tool: "semgrep",
          rule: `semgrep-${type.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
          severity: "warning",
          path: toProjectPath(cwd, file),
          line: error.spans?.[0]?.start?.line ?? 1,
          column: error.spans?.[0]?.start?.col ?? null,
          message: errorText(error),
        });
      }
      if (unfinished.size > 0) return { kind: "findings", findings, coverage: { kind: "partial", files: [...unfinished] } };
      return { kind: "findings", findings };
    },
  },
);
