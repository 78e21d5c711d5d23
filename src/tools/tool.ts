import type { ToolOverride } from "../config/types.js";
import type { RunCoverage } from "../core/outcome.js";
import type { Task } from "../core/task.js";
import type { Finding } from "../core/finding.js";
import type { ToolName } from "../core/tool-name.js";
import type { OptionParser } from "./reading/option-reading.js";

/** Per-file tools can be split into chunks; whole-project tools must see every file at once. */
export type ToolScope = "per-file" | "whole-project";

/**
 * What a file's findings depend on, for the memory cache: its own content; the project files it imports
 * (refurb's type analysis reads them through mypy); or every file of the project (vulture needs every use
 * of a name, and so runs whole-project).
 */
export type ResultDependency = "own-file" | "imports" | "project";

/** What the executor hands an adapter to build a command line. */
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
  signal?: AbortSignal;
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
 * One way to run a tool, from its own settings in `tools.<name>` (semgrep's rule files, one
 * check-jsonschema schema and the files it validates).
 */
export interface ToolSettings {
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
 * An adapter's verdict on a finished run: what it reported (and, when it did not analyse every file it was given,
 * what it did analyse), or why it is not to be trusted. A message never starts with the tool's name: the report
 * puts the task's name before it.
 */
export type ParsedRun = { kind: "findings"; findings: Finding[]; coverage?: RunCoverage } | { kind: "tool-error"; message: string };

/**
 * What a tool does when one of its inputs is broken (a syntax error, bytes it cannot decode):
 * - `per-file`: it reports the broken file and goes on with the others (ruff, vulture, codespell);
 * - `stops-run`: it reports the broken file alone and analyses nothing else (refurb and mypy: mypy stops at its
 *   first blocking error). A run that stops says so in its coverage, and a report over several runs of such a tool
 *   is the answer of one run over all its files, as running the tool directly gives (scan/stopped-runs.ts).
 */
export type BrokenInputBehaviour = "per-file" | "stops-run";

/** A build of a tool that runs inside jackpool's own worker threads: the fallback when its executable is missing. */
export interface EmbeddedTool {
  /** Stands for the executable in tasks and cache keys. */
  executable: string;
  version: string;
  /** Cost model for the distributor, like ToolAdapter's. */
  cost: { startupMs: number; perFileMs: number };
  /** Whether it can check this file: a subset of the tool's include patterns. */
  accepts(file: string): boolean;
  /** What of the project's settings, the override and the files it cannot honour: one line each, for the report. */
  limitations(root: string, projectFiles: readonly string[], override: ToolOverride): Promise<string[]>;
  /** Checks the task's files in the calling thread; stops between files once `signal` is aborted. */
  run(task: Task, signal: AbortSignal): Promise<ParsedRun>;
}

/** Everything jackpool knows about driving one tool. Adding a tool = adding one file with one of these. */
export interface ToolAdapter {
  name: ToolName;
  /** Executable looked up in the project's .venv/bin, then PATH. */
  executable: string;
  scope: ToolScope;
  resultsDependOn: ResultDependency;
  /** Checked against the real tool by test/broken-input.test.ts. */
  brokenInput: BrokenInputBehaviour;
  /** Names of config files (anywhere in the project) that change the tool's findings; part of cache keys. */
  configFiles: readonly string[];
  /** gitignore-style patterns of the files the tool takes. */
  include: readonly string[];
  defaultTimeoutSec: number;
  /** Cost model for the distributor (measured on this machine kind, see docs/benchmarks.md). */
  cost: { startupMs: number; perFileMs: number };
  /** How to install the pinned version, for the "not installed" message. */
  installHint: string;
  /** Options `tools.<name>.args` may not add: they rewrite files or change the output jackpool parses. */
  forbiddenArgs: readonly string[];
  /** How the tool's option parser reads arguments, which decides what else reaches a forbidden option (`--write` for `--write-changes`). */
  optionParser: OptionParser;
  versionArgs: readonly string[];
  parseVersion(stdout: string): string;
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
  parse(run: ToolRun): ParsedRun | Promise<ParsedRun>;
  /** Used when the executable is not installed. */
  embedded?: EmbeddedTool;
  /** Whether findings depend on installed Python packages (type checkers): the tool's own, or its settings' `pythonEnvironment`; part of cache keys. */
  readsInstalledPackages?: boolean;
  /** A problem with the tool's own settings or args, found when the config is loaded: the key below `tools.<name>` (a list index as a number string) and what is wrong. */
  settingsProblem?(override: ToolOverride): { keys: string[]; problem: string } | undefined;
  /**
   * How the tool's own settings turn into runs; without it, one run with no extra arguments. `root` holds the bytes
   * being scanned (a snapshot of the index for --staged), `projectRoot` the project itself (its `.venv`). Throws
   * UserError for bad settings.
   */
  settings?(override: ToolOverride, root: string, projectRoot: string): Promise<ToolSettings[]>;
  /** Prepares the task directory before the tool starts (gitleaks scans one directory: links to the batch's files). */
  stage?(files: readonly string[], context: CommandContext & { cwd: string }): Promise<void>;
  /** Extra environment for the tool: where it may write its settings and logs instead of the user's home. */
  environment?(context: CommandContext): Record<string, string>;
}
