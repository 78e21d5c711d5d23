import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parse as parseJsonc } from "jsonc-parser";
import { parse as parseToml } from "smol-toml";
import { defineTool, type ParsedRun, type RunTargets, type TargetsContext, type RunSettings } from "../tool.js";
import type { Finding, Severity } from "../../core/finding.js";
import { isExecutable } from "../python/environment.js";
import { firstVersion, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";

/** A position in `pyright --outputjson`: 0-based line and character. */
interface PyrightPosition {
  line: number;
  character: number;
}

/** One entry of `generalDiagnostics`. */
interface PyrightDiagnostic {
  file: string;
  // "error", "warning" or "information".
  severity: string;
  message: string;
  range?: { start: PyrightPosition; end: PyrightPosition };
  rule?: string;
}

const SEVERITIES: Readonly<Record<string, Severity>> = { error: "error", warning: "warning", information: "info" };

/** How the project's interpreter is named in cache keys: by content, never by where the project is. */
const PROJECT_PYTHON_LABEL = "project:.venv/bin/python";

/** The diagnostics of pyright's JSON report, or null when stdout is not one. */
function diagnosticsOf(stdout: string): PyrightDiagnostic[] | null {
  try {
    const report = JSON.parse(stdout) as { generalDiagnostics?: unknown } | null;
    return Array.isArray(report?.generalDiagnostics) ? (report.generalDiagnostics as PyrightDiagnostic[]) : null;
  } catch {
    return null;
  }
}

/** The value after `-p`/`--project` (`--project=x` too): a config file or the directory holding one. */
function projectArg(args: readonly string[]): string | undefined {
  for (const [index, arg] of args.entries()) {
    if (arg === "-p" || arg === "--project") return args[index + 1];
    if (arg.startsWith("--project=")) return arg.slice("--project=".length);
  }
  return undefined;
}

/** The settings pyright reads: pyrightconfig.json (JSON with comments) before pyproject.toml's `[tool.pyright]`. */
async function pyrightSettings(cwd: string, userArgs: readonly string[]): Promise<Record<string, unknown> | null> {
  const project = path.resolve(cwd, projectArg(userArgs) ?? ".");
  const isDir = await stat(project).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  const candidates = isDir ? [path.join(project, "pyrightconfig.json"), path.join(project, "pyproject.toml")] : [project];
  for (const file of candidates) {
    const text = await readFile(file, "utf8").catch(() => null);
    if (text === null) continue;
    if (file.endsWith(".toml")) {
      const tool = (parseToml(text) as { tool?: { pyright?: Record<string, unknown> } }).tool;
      if (tool?.pyright) return tool.pyright;
      continue;
    }
    return (parseJsonc(text, [], { allowTrailingComma: true }) as Record<string, unknown> | undefined) ?? {};
  }
  return null;
}

/**
 * pyright checks the files named on its command line even outside its configuration's `include` (its `exclude` it
 * applies to them too): a configuration with `include` names what pyright checks, so it gets no files. When the
 * configuration cannot be read, pyright is given the files and says what is wrong with it.
 */
async function pyrightTargets(files: readonly string[], { cwd, userArgs }: TargetsContext): Promise<RunTargets> {
  try {
    const settings = await pyrightSettings(cwd, userArgs);
    if (Array.isArray(settings?.include) && settings.include.length > 0) return { configured: true };
  } catch {
    // Unparsable: pyright reports that itself.
  }
  return { files };
}

function findingOf(diagnostic: PyrightDiagnostic, cwd: string): Finding {
  const finding: Finding = {
    tool: "pyright",
    rule: diagnostic.rule ?? diagnostic.severity,
    severity: SEVERITIES[diagnostic.severity] ?? "error",
    path: toProjectPath(cwd, diagnostic.file),
    line: (diagnostic.range?.start.line ?? 0) + 1,
    column: diagnostic.range ? diagnostic.range.start.character + 1 : null,
    message: diagnostic.message,
  };
  if (diagnostic.range) {
    finding.endLine = diagnostic.range.end.line + 1;
    finding.endColumn = diagnostic.range.end.character + 1;
  }
  return finding;
}

/**
 * pyright: static type checker from npm, an alternative to mypy; whole-project (types flow across modules), one
 * JSON report on stdout. The files go on the command line, chosen by jackpool like every tool's, unless pyright's
 * configuration has `include` (then none); pyright still reads pyrightconfig.json or `[tool.pyright]` (its `exclude`
 * drops even named files) and resolves imports of the files not named. Exit 0 clean, 1 errors, 2 a fatal error, 3 a config file it cannot read (it then checks
 * with defaults: not the user's settings, so a crash), 4 bad arguments.
 */
export default defineTool(
  {
    name: "pyright",
    executable: "pyright",
    scope: "whole-project",
    resultsDependOn: "project",
    brokenInput: "per-file",
    readsInstalledPackages: true,
    configFiles: ["pyrightconfig.json", "pyproject.toml"],
    include: ["*.py", "*.pyi"],
    defaultTimeoutSec: 900,
    cost: { startupMs: 1500, perFileMs: 40 },
    homepage: "https://microsoft.github.io/pyright/",
    package: { via: "npm", name: "pyright" },
    class: "fast",
    placement: "opt-in",
  },
  {
    forbiddenArgs: [
      "--outputjson",
      "--watch",
      "-w",
      "--createstub",
      "--verifytypes",
      "--ignoreexternal",
      "--dependencies",
      "--stats",
      "--verbose",
      "-",
    ],
    optionParser: "exact", // its own parser: whole option names only
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    /**
     * The Python environment is explicit: the project's `.venv` when it has one (where its dependencies are, even when
     * nobody activated it), else whatever pyright finds itself (its config's `venv`, else `python` on PATH). A
     * `--pythonpath` in the user's args replaces the project's.
     */
    async runs(override, _root, projectRoot): Promise<RunSettings[]> {
      const venv = path.join(projectRoot, ".venv");
      const python = path.join(venv, "bin", "python");
      if (override.args?.includes("--pythonpath") || !(await isExecutable(python))) return [{ args: [], inputs: {} }];
      return [{ args: ["--pythonpath", python], inputs: { [PROJECT_PYTHON_LABEL]: python }, pythonEnvironment: venv }];
    },
    targets: pyrightTargets,
    buildArgs: (files, { userArgs }) => ["--outputjson", ...userArgs, ...files.map(asOperand)],
    parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
      if (exitCode !== 0 && exitCode !== 1) return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      const diagnostics = diagnosticsOf(stdout);
      if (diagnostics === null)
        return { kind: "tool-error", message: `exited ${exitCode} without a JSON report: ${stderrTail(stderr || stdout)}` };
      if (exitCode === 1 && diagnostics.length === 0) {
        return { kind: "tool-error", message: `exited 1 without diagnostics: ${stderrTail(stderr || stdout)}` };
      }
      return { kind: "findings", findings: diagnostics.map((diagnostic) => findingOf(diagnostic, cwd)) };
    },
  },
);
