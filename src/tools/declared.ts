import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Finding, Severity } from "../core/finding.js";
import type { ToolName } from "../core/tool-name.js";
import { firstVersion, outputLines, stderrTail } from "./reading/output-lines.js";
import { asOperand, toProjectPath } from "./reading/project-path.js";
import { sarifFindings } from "./reading/sarif.js";
import { integer, listOf, mapping, oneOf, stringList, text } from "./settings-schema.js";
import { OVERRIDE_SHAPE, type ParsedRun, type Tool, type ToolSpec } from "./tool.js";

/** Stands for a file in the task's own directory, where a tool can write a report: `--sarif-out {report}`. */
const REPORT_PLACEHOLDER = "{report}";
const REPORT_FILE = "report";

/** Where a `json` output's finding fields are, as dotted paths into each item (`location.row`). */
const FIELDS = mapping({
  /** Where the list of findings is in the document; absent: the document is the list (or one JSON object per line). */
  list: text(/\S/, "a dotted path"),
  path: text(/\S/, "a dotted path"),
  line: text(/\S/, "a dotted path"),
  column: text(/\S/, "a dotted path"),
  rule: text(/\S/, "a dotted path"),
  message: text(/\S/, "a dotted path"),
  severity: text(/\S/, "a dotted path"),
}).partial();

/**
 * A tool the project declares under `pool_scanning.tools.<name>`: the keys every tool takes, and what jackpool needs to
 * run it like a built-in one. Checked when the config loads, each key at its own file:line.
 */
export const DECLARED_TOOL_SCHEMA = mapping({
  ...OVERRIDE_SHAPE,
  command: listOf(z.string(), "a command: a list of strings, the program first").min(1, {
    error: () => "expected a command: a list of strings, the program first",
  }),
  scope: oneOf(["per-file", "whole-project"]),
  output: oneOf(["sarif", "lines", "json"]),
  pattern: text(/\S/, "a regular expression with named groups path, line and message"),
  /** Which stream the tool prints its findings on (pyscn: stderr). */
  stream: oneOf(["stdout", "stderr"]),
  /** The file every finding is about, for output that names none (creosote: pyproject.toml). */
  path: text(/\S/, "a project-relative file"),
  ignore: stringList(),
  fields: FIELDS,
  version_command: stringList(),
  config_files: stringList(),
  pass_files: z.boolean({ error: () => "expected true or false" }),
  exit_codes: listOf(integer(0, 255), "a list of exit codes"),
  broken_input: oneOf(["per-file", "stops-run"]),
  class: oneOf(["heavy_cpu", "fast", "security"]),
  rule: text(/\S/, "a rule name"),
})
  .partial()
  .superRefine((entry, context) => {
    const problem = (message: string, key: string) => context.addIssue({ code: "custom", message, path: [key] });
    if (entry.command === undefined) problem("a tool of your own needs a command", "command");
    if (entry.output === undefined) problem("a tool of your own needs an output: sarif, lines or json", "output");
    if (entry.output === "lines") {
      if (entry.pattern === undefined)
        problem("lines output needs a pattern with named groups path (or a path key), line and message", "pattern");
      else {
        const groups = patternProblem(entry.pattern, entry.path !== undefined);
        if (groups) problem(groups, "pattern");
      }
    }
    for (const [index, ignored] of (entry.ignore ?? []).entries())
      if (regexProblem(ignored)) context.addIssue({ code: "custom", message: regexProblem(ignored)!, path: ["ignore", index] });
    const versionProgram = entry.version_command?.[0];
    if (versionProgram !== undefined && versionProgram !== entry.command?.[0]) {
      problem(`must run the same program as command (${entry.command?.[0] ?? "nothing"})`, "version_command");
    }
  });

/** A declared tool's `tools.<name>`, as the config hands it over. */
export type DeclaredTool = z.infer<typeof DECLARED_TOOL_SCHEMA>;

function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source, "u");
    return undefined;
  } catch (error) {
    return `not a regular expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Why a `lines` pattern cannot read findings, or undefined: it must compile and name the message, and the path unless
 * the declaration gives one. A finding without a line group is on line 1.
 */
function patternProblem(source: string, fixedPath: boolean): string | undefined {
  const invalid = regexProblem(source);
  if (invalid) return invalid;
  const missing = [...(fixedPath ? [] : ["path"]), "message"].filter((group) => !source.includes(`(?<${group}>`));
  return missing.length === 0 ? undefined : `needs the named groups ${missing.map((group) => `(?<${group}>…)`).join(", ")}`;
}

// Words tools use for how serious a finding is.
const SEVERITIES: Readonly<Record<string, Severity>> = {
  error: "error",
  fatal: "error",
  critical: "error",
  high: "error",
  warning: "warning",
  warn: "warning",
  medium: "warning",
  info: "info",
  information: "info",
  note: "info",
  low: "info",
  hint: "info",
};

/** A value read from a tool's JSON as text: a string or number as it is, anything else as its JSON. */
function textOf(value: unknown): string {
  return typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean"
      ? String(value)
      : (JSON.stringify(value) ?? "");
}

function severityOf(word: unknown): Severity {
  return SEVERITIES[textOf(word).toLowerCase()] ?? "warning";
}

/** The value at a dotted path (`location.row`) of a JSON value. */
function at(value: unknown, dotted: string | undefined): unknown {
  if (dotted === undefined) return undefined;
  return dotted
    .split(".")
    .reduce<unknown>(
      (node, key) => (typeof node === "object" && node !== null ? (node as Record<string, unknown>)[key] : undefined),
      value,
    );
}

/**
 * The findings of `lines` output: every line matches the pattern or an `ignore` pattern, else the output is not
 * understood.
 */
function lineOutput(name: ToolName, entry: DeclaredTool, stdout: string, cwd: string): ParsedRun {
  const pattern = new RegExp(entry.pattern ?? "", "u");
  const ignored = (entry.ignore ?? []).map((source) => new RegExp(source, "u"));
  const findings: Finding[] = [];
  for (const line of outputLines(stdout)) {
    const groups = pattern.exec(line)?.groups;
    if (!groups) {
      if (ignored.some((ignore) => ignore.test(line))) continue;
      return { kind: "tool-error", message: `unexpected output: ${line}` };
    }
    const column = groups.column === undefined ? null : Number(groups.column);
    findings.push({
      tool: name,
      rule: groups.rule ?? entry.rule ?? name,
      severity: severityOf(groups.severity),
      path: toProjectPath(cwd, groups.path ?? entry.path ?? ""),
      line: groups.line === undefined ? 1 : Number(groups.line),
      column: Number.isInteger(column) ? column : null,
      message: groups.message ?? "",
    });
  }
  return { kind: "findings", findings };
}

/** The findings of `json` output: a list (or an object holding one at `fields.list`, or one object per line). */
function jsonOutput(name: ToolName, entry: DeclaredTool, stdout: string, cwd: string): ParsedRun {
  const fields = { path: "path", line: "line", column: "column", rule: "rule", message: "message", severity: "severity", ...entry.fields };
  let items: unknown;
  try {
    items = at(JSON.parse(stdout || "[]"), fields.list) ?? (fields.list === undefined ? JSON.parse(stdout || "[]") : undefined);
  } catch {
    try {
      items = outputLines(stdout).map((line) => JSON.parse(line) as unknown);
    } catch {
      return { kind: "tool-error", message: `printed no JSON: ${stderrTail(stdout)}` };
    }
  }
  if (!Array.isArray(items))
    return { kind: "tool-error", message: `no list of findings${fields.list === undefined ? "" : ` at ${fields.list}`} in its JSON` };
  const findings: Finding[] = [];
  for (const item of items) {
    const file = at(item, fields.path);
    const line = Number(at(item, fields.line));
    if (typeof file !== "string" || !Number.isInteger(line))
      return { kind: "tool-error", message: `a finding without ${fields.path} or ${fields.line}: ${JSON.stringify(item).slice(0, 200)}` };
    const column = Number(at(item, fields.column));
    findings.push({
      tool: name,
      rule: textOf(at(item, fields.rule) ?? entry.rule ?? name),
      severity: severityOf(at(item, fields.severity)),
      path: toProjectPath(cwd, file),
      line,
      column: Number.isInteger(column) ? column : null,
      message: textOf(at(item, fields.message) ?? ""),
    });
  }
  return { kind: "findings", findings };
}

/**
 * A tool the project declared, driven like a built-in one: chunked (per-file) or whole-project, cached when it says
 * its version, and read from SARIF, `path:line:col: message` lines or JSON. An exit code outside `exit_codes`
 * (default 0 and 1), or output it cannot read, is a failure, never a pass.
 */
export function declaredTool(name: ToolName, entry: DeclaredTool): Tool {
  const [executable = name, ...fixedArgs] = entry.command ?? [];
  const scope = entry.scope ?? "per-file";
  const spec: ToolSpec = {
    name,
    homepage: "",
    executable,
    package: null,
    scope,
    resultsDependOn: scope === "whole-project" ? "project" : "own-file",
    brokenInput: entry.broken_input ?? "per-file",
    class: entry.class ?? "fast",
    placement: "opt-in",
    include: entry.include ?? ["*"],
    configFiles: entry.config_files ?? [],
    defaultTimeoutSec: 600,
    cost: { startupMs: 500, perFileMs: 5 },
  };
  const okExits = entry.exit_codes ?? [0, 1];
  return {
    spec,
    overrideSchema: DECLARED_TOOL_SCHEMA,
    driver: {
      optionParser: "exact",
      forbiddenArgs: [],
      versionArgs: entry.version_command?.slice(1) ?? [],
      parseVersion: firstVersion,
      buildArgs: (files, { userArgs, taskDir }) => [
        ...fixedArgs.map((arg) => arg.replaceAll(REPORT_PLACEHOLDER, path.join(taskDir, REPORT_FILE))),
        ...userArgs,
        ...(entry.pass_files === false ? [] : files.map(asOperand)),
      ],
      async parse({ exitCode, stdout, stderr, cwd, taskDir }): Promise<ParsedRun> {
        if (!okExits.includes(exitCode)) return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
        const written = fixedArgs.some((arg) => arg.includes(REPORT_PLACEHOLDER));
        const printed = entry.stream === "stderr" ? stderr : stdout;
        const output = written ? await readFile(path.join(taskDir, REPORT_FILE), "utf8").catch(() => null) : printed;
        if (output === null)
          return { kind: "tool-error", message: `wrote no report to ${REPORT_PLACEHOLDER}: ${stderrTail(stderr || stdout)}` };
        if (entry.output === "sarif") {
          const sarif = sarifFindings(output, name, cwd, entry.rule ?? name);
          return "error" in sarif ? { kind: "tool-error", message: sarif.error } : { kind: "findings", findings: sarif.findings };
        }
        return entry.output === "json" ? jsonOutput(name, entry, output, cwd) : lineOutput(name, entry, output, cwd);
      },
    },
  };
}
