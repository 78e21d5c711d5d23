import type { z } from "zod";
import type { Finding } from "../core/finding.js";
import type { RunCoverage } from "../core/outcome.js";
import type { Task } from "../core/task.js";
import type { OptionParser } from "./reading/option-reading.js";
import { boolean, integer, mapping, stringList } from "./settings-schema.js";

/** Per-file tools can be split into chunks; whole-project tools must see every file at once. */
export type ToolScope = "per-file" | "whole-project";

/**
 * What a file's findings depend on, for the memory cache: its own content; the project files it imports
 * (refurb's type analysis reads them through mypy); or every file of the project (vulture needs every use
 * of a name, and so runs whole-project).
 */
export type ResultDependency = "own-file" | "imports" | "project";

/**
 * What a tool does when one of its inputs is broken (a syntax error, bytes it cannot decode):
 * - `per-file`: it reports the broken file and goes on with the others (ruff, vulture, codespell);
 * - `stops-run`: it reports the broken file alone and analyses nothing else (refurb and mypy: mypy stops at its
 *   first blocking error). A run that stops says so in its coverage, and a report over several runs of such a tool
 *   is the answer of one run over all its files, as running the tool directly gives (schedule/stopped-runs.ts).
 */
export type BrokenInputBehaviour = "per-file" | "stops-run";

/** The plan's PoolRouter classes (its TOOL_WORKER_MAP): heavy CPU tools, fast ones, and security tools kept apart. */
export type ToolClass = "heavy_cpu" | "fast" | "security";

/** Where the default configuration lists a tool: the plan's `pooled_tools` or `local_tools`, or neither (run when named). */
export type DefaultPlacement = "pooled" | "local" | "opt-in";

/**
 * How a tool is installed. Its version is the lock's (`toolchain/requirements.txt` for pip, the Go tools list for go)
 * or jackpool's own package.json (npm): never a copy.
 */
export interface ToolPackage {
  via: "pip" | "go" | "npm";
  name: string;
}

/** The keys every tool takes under `pool_scanning.tools.<name>`; a tool's own settings add to them. */
export const OVERRIDE_SHAPE = {
  enabled: boolean(),
  args: stringList(),
  /** Seconds. */
  timeout: integer(1, 86400),
  /** gitignore-style patterns replacing the tool's own include patterns. */
  include: stringList(),
  exclude: stringList(),
};

/** `tools.<name>` of a tool with settings `S`, as the config hands it over (every key optional). */
export type OverrideOf<S extends z.ZodRawShape> = Partial<z.infer<z.ZodObject<typeof OVERRIDE_SHAPE & S>>>;

/** Any tool's `tools.<name>`: the common keys, and settings the tool's own schema has checked. */
export type ToolOverride = OverrideOf<Record<never, never>> & { readonly [setting: string]: unknown };

/** What jackpool knows about a tool before running it: what the plan, the memory cache and the config read. */
export interface ToolSpec<S extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  /** Where to read about it: SARIF's `informationUri`. */
  homepage: string;
  /** Looked up in jackpool's managed environment, the project's .venv/bin, then PATH. */
  executable: string;
  /** null for a tool the project declares in its config (tools/declared.ts). */
  package: ToolPackage | null;
  scope: ToolScope;
  resultsDependOn: ResultDependency;
  /** Checked against the real tool by test/broken-input.test.ts. */
  brokenInput: BrokenInputBehaviour;
  /** Whether findings depend on installed Python packages (type checkers): part of cache keys. */
  readsInstalledPackages?: boolean;
  class: ToolClass;
  placement: DefaultPlacement;
  /** gitignore-style patterns of the files the tool takes. */
  include: readonly string[];
  /** Names of config files (anywhere in the project) that change the tool's findings; part of cache keys. */
  configFiles: readonly string[];
  defaultTimeoutSec: number;
  /** Cost model for the distributor (measured on this machine kind, see docs/benchmarks.md). */
  cost: { startupMs: number; perFileMs: number };
  /** Keys only this tool has under `tools.<name>` (semgrep's rule files): the config checks them with this schema. */
  settings?: S;
}

/** What the driver hands `buildArgs` and `environment`. */
export interface CommandContext {
  /** A fresh, empty directory owned by this task, removed afterwards: for report files and tool caches. */
  taskDir: string;
  userArgs: readonly string[];
}

/**
 * What to name on a tool's command line: these files, or none, because the tool's own configuration names what it
 * checks (and it then checks exactly that).
 */
export type RunTargets = { files: readonly string[] } | { configured: true };

/** What the plan hands `targets`: where and how the tool is about to run. */
export interface TargetsContext {
  /** The tool's working directory: the project, or a snapshot of the git index. */
  cwd: string;
  executable: string;
  userArgs: readonly string[];
  signal: AbortSignal;
}

/** What a finished tool process left behind. */
export interface ToolRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Absolute project root, to make reported paths project-relative. */
  cwd: string;
  taskDir: string;
  /** The argv the tool ran with (after the executable). */
  args: readonly string[];
}

/**
 * One run a tool's own settings in `tools.<name>` ask for (semgrep's rule files, one check-jsonschema schema and the
 * files it validates).
 */
export interface RunSettings {
  /** Arguments from those settings; they go before the user's `args`. */
  args: string[];
  /** Files the settings name, label → absolute path (label: project-relative path, or `jackpool:<name>` for shipped ones); their content is part of cache keys. */
  inputs: Record<string, string>;
  /** gitignore-style patterns narrowing the tool's files to the ones these settings apply to; undefined = all of them. */
  files?: string[];
  /** The virtualenv whose installed packages the run reads, when not the tool's own (pyright's `--pythonpath`). */
  pythonEnvironment?: string;
}

/**
 * A driver's verdict on a finished run: what it reported (and, when it did not analyse every file it was given,
 * what it did analyse), or why it is not to be trusted. A message never starts with the tool's name: the report
 * puts the task's name before it.
 */
export type ParsedRun = { kind: "findings"; findings: Finding[]; coverage?: RunCoverage } | { kind: "tool-error"; message: string };

/** A build of a tool that runs inside jackpool's own worker threads: the fallback when its executable is missing. */
export interface EmbeddedTool {
  version: string;
  /** Cost model for the distributor, like the tool's. */
  cost: { startupMs: number; perFileMs: number };
  /** Whether it can check this file: a subset of the tool's include patterns. */
  accepts(file: string): boolean;
  /** What of the project's settings, the override and the files it cannot honour: one line each, for the report. */
  limitations(root: string, projectFiles: readonly string[], override: ToolOverride): Promise<string[]>;
  /** Checks the task's files in the calling thread; stops between files once `signal` is aborted. */
  run(task: Task, signal: AbortSignal): Promise<ParsedRun>;
}

/** How to run a tool and read what it says. `O` is its `tools.<name>`, checked against its spec's settings. */
export interface ToolDriver<O = ToolOverride> {
  /** How the tool's option parser reads arguments, which decides what else reaches a forbidden option (`--write` for `--write-changes`). */
  optionParser: OptionParser;
  /** Options `tools.<name>.args` may not add: they rewrite files or change the output jackpool parses. */
  forbiddenArgs: readonly string[];
  versionArgs: readonly string[];
  parseVersion(stdout: string): string;
  /** A problem with the tool's own settings, found when the config is loaded: the key below `tools.<name>` (a list index as a number string) and what is wrong. */
  settingsProblem?(override: O): { keys: string[]; problem: string } | undefined;
  /**
   * How the tool's own settings turn into runs; without it, one run with no extra arguments. `root` holds the bytes
   * being scanned (a snapshot of the index for --staged), `projectRoot` the project itself (its `.venv`). Throws
   * UserError for bad settings.
   */
  runs?(override: O, root: string, projectRoot: string): Promise<RunSettings[]>;
  /**
   * Which of a task's files to name, when the tool's own configuration decides what it checks in a way the tool does
   * not apply to files named on its command line (mypy's `files` and `exclude`, pyright's `include`, vulture's
   * `paths`): the user's configuration wins over jackpool's include patterns. Asked when the plan is made, only for
   * runs memory did not answer (plan/targets.ts); never throws (when it cannot tell, every file). Without it, every
   * file is named.
   */
  targets?(files: readonly string[], context: TargetsContext): Promise<RunTargets>;
  /** argv after the executable; files are project-relative and already safe from option parsing. */
  buildArgs(files: readonly string[], context: CommandContext): string[];
  /**
   * What to start instead of the executable, before the arguments (a program and its own leading arguments), for a
   * tool that runs the same code faster another way and prints the same bytes; null or absent: the executable.
   */
  launcher?(executable: string): Promise<string[] | null>;
  /** Prepares the task directory before the tool starts (gitleaks scans one directory: links to the batch's files). */
  stage?(files: readonly string[], context: CommandContext & { cwd: string }): Promise<void>;
  /** Extra environment for the tool: where it may write its settings and logs instead of the user's home. */
  environment?(context: CommandContext): Record<string, string>;
  parse(run: ToolRun): ParsedRun | Promise<ParsedRun>;
  /** Used when the executable is not installed. */
  embedded?: EmbeddedTool;
}

/** A tool jackpool drives: what it is (spec), how to run it (driver), and the schema of its `tools.<name>`. */
export interface Tool {
  spec: ToolSpec;
  driver: ToolDriver;
  overrideSchema: z.ZodType<ToolOverride>;
}

/**
 * A tool from its spec and driver. The driver sees its own settings typed; the config checks every `tools.<name>`
 * against `overrideSchema` before any driver sees it, which is what makes the one widening below safe.
 */
export function defineTool<S extends z.ZodRawShape = Record<never, never>>(spec: ToolSpec<S>, driver: ToolDriver<OverrideOf<S>>): Tool {
  const overrideSchema = mapping({ ...OVERRIDE_SHAPE, ...spec.settings }).partial() as unknown as z.ZodType<ToolOverride>;
  return { spec, driver, overrideSchema };
}
