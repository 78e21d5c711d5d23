import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { LocalPoolBackend } from "../backends/local-pool.js";
import { loadConfig } from "../config/load.js";
import type { Selection } from "../files/select.js";
import { selectFiles } from "../files/select.js";
import { defaultMaxArgBytes, distribute, type ToolWork } from "../plan/distribute.js";
import { findProjectRoot } from "../project-root.js";
import { aggregate, type ToolEntry } from "../report/aggregate.js";
import { formatJson } from "../report/format-json.js";
import { formatText } from "../report/format-text.js";
import { Progress } from "../report/progress.js";
import type { Report } from "../report/report.js";
import type { Task } from "../plan/task.js";
import { colourEnabled, createStyle } from "../report/style.js";
import { runTasks, type TaskRecord } from "../scheduler.js";
import { chooseTools, filesForTool, prepareTools, type PreparedTool } from "../scan/prepare-tools.js";
import { interruptedExitCode } from "../interrupt.js";
import { UserError } from "../user-error.js";
import { JACKPOOL_VERSION } from "../version.js";

/** Output formats of the report. */
export type ReportFormat = "text" | "json";

/** Everything `jackpool scan` was asked to do, validated by the CLI. */
export interface ScanOptions {
  cwd: string;
  configFile?: string;
  selection: Selection;
  tools?: string[];
  skipTools?: string[];
  jobs?: number;
  format: ReportFormat;
  output?: string;
  failFast: boolean;
  skipMissing: boolean;
  verbose: boolean;
  quiet: boolean;
}

function poolSize(options: ScanOptions, min: number, max: number): number {
  if (options.jobs !== undefined) return options.jobs;
  return Math.min(max, Math.max(min, os.availableParallelism()));
}

function render(report: Report, options: ScanOptions): string {
  if (options.format === "json") return formatJson(report);
  const toTerminal = options.output === undefined;
  return formatText(report, createStyle(toTerminal && colourEnabled(process.stdout)));
}

/** Builds each runnable tool's work: whole-project tools see every file of theirs when any of them is selected. */
async function toolWorks(
  tools: readonly PreparedTool[],
  root: string,
  selected: readonly string[],
  options: ScanOptions,
  exclude: readonly string[],
): Promise<{ works: ToolWork[]; entries: ToolEntry[] }> {
  let everything: Promise<string[]> | undefined;
  const works: ToolWork[] = [];
  const entries: ToolEntry[] = [];
  for (const tool of tools) {
    const { adapter, executable, override } = tool;
    if (tool.preempted || !adapter || !executable) {
      entries.push({ tool: tool.name, version: tool.version, files: 0, preempted: tool.preempted });
      continue;
    }
    let files = filesForTool(adapter, override, selected);
    if (adapter.scope === "whole-project" && files.length > 0 && options.selection.mode !== "all") {
      // A change in one file can make code in another dead: the tool must see all of its inputs.
      everything ??= selectFiles(root, { mode: "all" }, exclude);
      files = filesForTool(adapter, override, await everything);
    }
    if (files.length === 0) {
      entries.push({ tool: tool.name, version: tool.version, files: 0, preempted: { status: "skipped", note: "no files to scan" } });
      continue;
    }
    entries.push({ tool: tool.name, version: tool.version, files: files.length });
    works.push({
      tool: tool.name,
      scope: adapter.scope,
      executable,
      files,
      userArgs: override.args ?? [],
      timeoutMs: (override.timeout ?? adapter.defaultTimeoutSec) * 1000,
      cost: adapter.cost,
    });
  }
  return { works, entries };
}

/** Runs a scan and returns the exit code: 0 clean, 1 findings, 2 could not do its job, 130/143 on SIGINT/SIGTERM. */
export async function scan(options: ScanOptions, signal: AbortSignal): Promise<number> {
  const started = performance.now();
  const log = (line: string): void => {
    if (options.verbose) process.stderr.write(`${line}\n`);
  };
  const root = await findProjectRoot(options.cwd);
  const { file: configFile, pool_scanning: config } = await loadConfig(options.cwd, options.configFile);
  log(`project root: ${root}; config: ${configFile ?? "defaults (no .crackerjack.yaml)"}`);

  const names = chooseTools(config, options.tools, options.skipTools);
  if (names.length === 0) throw new UserError("no tools to run: every configured tool is disabled or skipped");
  const workers = poolSize(options, config.pool.min_workers, config.pool.max_workers);
  // The worker threads boot while tools are probed and files listed: all three take a few hundred ms.
  const backend = new LocalPoolBackend({ threads: workers });
  let records: TaskRecord[] = [];
  let tasks: Task[] = [];
  let entries: ToolEntry[] = [];
  let selected: string[] = [];
  try {
    let tools: PreparedTool[];
    [tools, selected] = await Promise.all([prepareTools(names, config, root), selectFiles(root, options.selection, config.exclude)]);
    for (const tool of tools) log(`tool ${tool.name}: ${tool.executable ?? "-"} ${tool.version ?? ""} ${tool.preempted?.note ?? ""}`);
    log(`files selected: ${selected.length} (${options.selection.mode})`);
    let works: ToolWork[];
    ({ works, entries } = await toolWorks(tools, root, selected, options, config.exclude));
    tasks = distribute(root, works, { workers, maxArgBytes: defaultMaxArgBytes() });
    for (const task of tasks) log(`task ${task.id}: ${task.files.length} files, ~${Math.round(task.estimatedMs)} ms`);
    log(`backend: ${backend.name}, ${backend.concurrency} worker threads`);
    const progress = new Progress(tasks.length, process.stderr, process.stderr.isTTY === true, options.quiet);
    try {
      records = await runTasks(tasks, backend, {
        signal,
        failFast: options.failFast,
        hooks: { onStart: (task) => progress.start(task), onEnd: (record) => progress.end(record) },
      });
    } finally {
      progress.finish();
    }
  } finally {
    await backend.close();
  }
  if (signal.aborted) return interruptedExitCode(signal);

  const report = aggregate({
    version: JACKPOOL_VERSION,
    files: selected.length,
    tools: entries,
    records,
    durationMs: Math.round(performance.now() - started),
    skipMissing: options.skipMissing,
  });
  const text = render(report, options);
  if (options.output === undefined) process.stdout.write(text);
  else await writeFile(path.resolve(options.cwd, options.output), text);
  return report.exitCode;
}
