import os from "node:os";
import { describeDecision, type ScalingDecision } from "../backends/autoscaler.js";
import { recordScaling } from "../backends/scaling-log.js";
import { loadConfig } from "../config/load.js";
import type { PoolScanningConfig } from "../config/types.js";
import { snapshotIndex } from "../files/index-snapshot.js";
import { memoryToolOf } from "../memory/keys/fingerprint.js";
import { ContentHasher } from "../memory/keys/hasher.js";
import { readKeyLog, updateKeyLogs } from "../memory/keys/key-log.js";
import { recall } from "../memory/recall.js";
import { remember } from "../memory/remember.js";
import { lastPassingCommit, recordPass } from "../project/last-pass.js";
import { recordRun } from "../memory/run-log.js";
import { ServerBackedStore } from "../memory/stores/server-memory.js";
import { openStore } from "../memory/stores/store.js";
import type { Selection } from "../files/select.js";
import { selectFiles } from "../files/select.js";
import { unscannedPaths } from "../files/unscanned-paths.js";
import { defaultMaxArgBytes, distribute, type ToolWork } from "../plan/distribute.js";
import { findProjectRoot } from "../project/root.js";
import { redactCredentials } from "../text/redact.js";
import { aggregate, type ToolEntry } from "../report/aggregate.js";
import { writeOutputs, type ReportOutput } from "../report/outputs.js";
import { Progress } from "../report/progress.js";
import { runTasks, type TaskRecord } from "../schedule/scheduler.js";
import { openBackend, type BackendMode, type OpenedBackend } from "../backends/open.js";
import { chooseTools, filesForTool, prepareTools, toolRuns, type PreparedTool } from "../plan/prepare.js";
import { replaceRuns, runsToRedo } from "../schedule/stopped-runs.js";
import { narrowToTargets } from "../plan/targets.js";
import type { Task } from "../core/task.js";
import { interruptedExitCode } from "../core/exit-codes.js";
import type { ToolName } from "../core/tool-name.js";
import { VersionCache } from "../toolchain/version-cache.js";
import { UserError } from "../core/user-error.js";
import { JACKPOOL_VERSION } from "../self/version.js";

/** Everything `jackpool scan` was asked to do, validated by the CLI. */
export interface ScanOptions {
  cwd: string;
  configFile?: string;
  selection: Selection;
  tools?: string[];
  skipTools?: string[];
  /** Tools the environment skips (SKIP, JACKPOOL_SKIP), with the note the report shows for each. */
  skippedByEnv: ReadonlyMap<ToolName, string>;
  jobs?: number;
  /** At most this many files per task of a per-file tool (`--max-chunk-files`). */
  maxChunkFiles?: number;
  /** Where each rendering of the report goes (validated: at most one to stdout). */
  outputs: ReportOutput[];
  failFast: boolean;
  skipMissing: boolean;
  /** Neither read nor write the memory cache. */
  noCache: boolean;
  /** Re-run everything and overwrite what memory holds. */
  refresh: boolean;
  /** Say for each tool and file why it was a hit or a miss. */
  explain: boolean;
  verbose: boolean;
  quiet: boolean;
  /** Where tasks run (`--backend`). */
  backend: BackendMode;
  /** Leave Mahavishnu pools up after the scan and reuse them next time. */
  keepPool: boolean;
}

function poolSize(options: ScanOptions, min: number, max: number): number {
  if (options.jobs !== undefined) return options.jobs;
  return Math.min(max, Math.max(min, os.availableParallelism()));
}

/** Builds each runnable tool's work: whole-project tools see every file of theirs when any of them is selected. */
async function toolWorks(
  /** The project (pyright takes the Python environment of its .venv). */
  root: string,
  /** Where the bytes being scanned live (an embedded tool reads the project's settings there). */
  contentRoot: string,
  tools: readonly PreparedTool[],
  selected: readonly string[],
  allFiles: () => Promise<string[]>,
): Promise<{ works: ToolWork[]; entries: ToolEntry[] }> {
  const works: ToolWork[] = [];
  const entries: ToolEntry[] = [];
  for (const tool of tools) {
    const { adapter, executable, override } = tool;
    if (tool.preempted || !adapter || !executable) {
      entries.push({ tool: tool.name, version: tool.version, files: 0, preempted: tool.preempted });
      continue;
    }
    let files = filesForTool(adapter, override, selected);
    if (adapter.scope === "whole-project" && files.length > 0) {
      // A change in one file can make code in another dead: the tool must see all of its inputs.
      files = filesForTool(adapter, override, await allFiles());
    }
    const notes = tool.embedded ? await tool.embedded.limitations(contentRoot, await allFiles(), override) : [];
    if (tool.embedded) files = files.filter((file) => tool.embedded!.accepts(file));
    const runs = await toolRuns(adapter, override, contentRoot, files, root);
    if (runs.length === 0) {
      const note = files.length === 0 ? "no files to scan" : `none of its ${files.length} files is covered by its settings (tools.${tool.name})`;
      entries.push({ tool: tool.name, version: tool.version, files: 0, notes, preempted: { status: "skipped", note } });
      continue;
    }
    entries.push({ tool: tool.name, version: tool.version, files: new Set(runs.flatMap((run) => run.files)).size, notes });
    for (const run of runs) {
      works.push({
        tool: tool.name,
        scope: adapter.scope,
        executable,
        ...run,
        timeoutMs: (override.timeout ?? adapter.defaultTimeoutSec) * 1000,
        cost: tool.embedded?.cost ?? adapter.cost,
      });
    }
  }
  return { works, entries };
}

/** Where a scan reads from and what it has decided so far. */
interface ScanContext {
  options: ScanOptions;
  config: PoolScanningConfig;
  root: string;
  /** Where the bytes being scanned live: the project, or a snapshot of the git index for --staged. */
  contentRoot: string;
  workers: number;
  log: (line: string) => void;
  warn: (line: string) => void;
}

/** Looks the works up in memory; returns what still has to run and a way to store the fresh results. */
async function consultMemory(
  context: ScanContext,
  tools: readonly PreparedTool[],
  works: ToolWork[],
  allFiles: () => Promise<string[]>,
  opening: Promise<OpenedBackend>,
): Promise<{ works: ToolWork[]; replayed: TaskRecord[]; store(records: readonly TaskRecord[]): Promise<void> }> {
  const { options, config, root, contentRoot } = context;
  if (!config.memory.enabled || options.noCache) return { works, replayed: [], store: () => Promise.resolve() };
  const local = await openStore(config.memory.store, root, context.warn);
  // A Mahavishnu server's memory answers what the local store misses (a failed open is reported later).
  const { searchMemory } = (await opening.catch(() => undefined)) ?? {};
  const store = searchMemory ? new ServerBackedStore(local, searchMemory, context.log, context.warn) : local;
  const hasher = new ContentHasher(contentRoot);
  const projectFiles = await allFiles();
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const interfaces = { root, contentRoot, processes: context.workers, log: context.log };
  const memoryTools = await Promise.all(
    works.map((work) => {
      const tool = byName.get(work.tool)!;
      return memoryToolOf(work, tool.adapter!, tool.version ?? "", tool.override, projectFiles, hasher, interfaces);
    }),
  );
  const recalled = await recall(memoryTools, store, hasher, {
    refresh: options.refresh,
    keyLog: options.explain ? (tool) => readKeyLog(root, tool) : undefined,
  });
  if (options.explain) for (const line of recalled.explanations) process.stderr.write(`${line}\n`);
  if (store instanceof ServerBackedStore) context.log(`memory: ${store.serverHits} results from the Mahavishnu server's memory`);
  return {
    works: recalled.works,
    replayed: recalled.replayed,
    async store(records) {
      try {
        const stored = await remember(records, recalled, store, hasher, config.memory.cache_duration * 1000);
        context.log(`memory: ${stored.length} results stored in ${store.description}`);
        await updateKeyLogs(root, stored);
        const hits = recalled.replayed.reduce((sum, record) => sum + (record.memory?.hits ?? 0), 0);
        await recordRun(root, hits, recalled.pending.length);
      } finally {
        await store.close();
      }
    },
  };
}

/**
 * A plain `jackpool scan` covers what changed since the last scan that passed (its commit, plus work-tree
 * changes); with no such scan on record, what changed since HEAD.
 */
async function defaultSelection(root: string, selection: Selection): Promise<Selection> {
  if (selection.mode !== "changed") return selection;
  const commit = await lastPassingCommit(root);
  return commit === null ? selection : { mode: "since", ref: commit };
}

/**
 * Everything between loading config and aggregating: tools, files, memory, tasks, running them. After each stage
 * that waits, an aborted `signal` (Ctrl-C) ends the scan there, by throwing its reason: no later stage starts.
 */
async function runScan(
  context: ScanContext,
  open: () => Promise<OpenedBackend>,
  signal: AbortSignal,
): Promise<{ selected: string[]; entries: ToolEntry[]; records: TaskRecord[] }> {
  const { options, config, root, contentRoot, log } = context;
  const names = chooseTools(config, options.tools, options.skipTools);
  if (names.length === 0) throw new UserError("no tools to run: every configured tool is disabled or skipped");
  // The backend opens (a Mahavishnu server is probed, pools spawned) while tools are probed and files listed;
  // local threads boot only with the first task.
  const opening = open();
  opening.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"
  const selection = await defaultSelection(root, options.selection);
  const reuse = config.memory.enabled && !options.noCache && !options.refresh;
  const versions = reuse ? await VersionCache.load(root) : null;
  const [tools, selected] = await Promise.all([
    prepareTools(names, config, root, versions, options.skippedByEnv, signal),
    selectFiles(root, selection, config.exclude),
  ]);
  signal.throwIfAborted();
  // A named path that gave no file is said why; the scan still exits 0 when nothing else was found: nothing named
  // holds a file to check, which is no failure of the code (pre-commit and editors pass whatever names they have).
  if (selection.mode === "paths") {
    for (const note of await unscannedPaths(root, selection.cwd, selection.paths, selected, config.exclude)) context.warn(note);
  }
  for (const tool of tools) log(`tool ${tool.name}: ${tool.executable ?? "-"} ${tool.version ?? ""} ${tool.preempted?.note ?? ""}`);
  log(`files selected: ${selected.length} (${selection.mode === "since" ? `since ${selection.ref}` : selection.mode})`);
  // Every tracked file, listed at most once per scan (whole-project tools and cache keys both need it).
  let everything: Promise<string[]> | undefined;
  const allFiles = (): Promise<string[]> =>
    (everything ??= selection.mode === "all" ? Promise.resolve(selected) : selectFiles(root, { mode: "all" }, config.exclude));
  const planned = await toolWorks(root, contentRoot, tools, selected, allFiles);
  signal.throwIfAborted();
  const memory = await consultMemory(context, tools, planned.works, allFiles, opening);
  signal.throwIfAborted();
  const limits = { workers: context.workers, maxArgBytes: defaultMaxArgBytes(), maxChunkFiles: options.maxChunkFiles };
  const tasks = distribute(contentRoot, await narrowToTargets(memory.works, contentRoot, signal), limits);
  for (const task of tasks) log(`task ${task.id}: ${task.files.length} files, ~${Math.round(task.estimatedMs)} ms`);
  const { backend } = await opening;
  signal.throwIfAborted();
  log(`backend: ${backend.name}, ${backend.concurrency} worker threads`);
  const progress = new Progress(tasks.length, process.stderr, process.stderr.isTTY === true, options.quiet);
  const schedule = { signal, failFast: options.failFast, hooks: { onStart: (task: Task) => progress.start(task), onEnd: (record: TaskRecord) => progress.end(record) } };
  let fresh: TaskRecord[];
  let report: TaskRecord[];
  try {
    fresh = await runTasks(tasks, backend, schedule);
    report = [...memory.replayed, ...fresh];
    // A run that stopped at broken input in one of several tasks: the tool's answer is one run over all its files.
    const redo = signal.aborted || options.failFast ? [] : runsToRedo(planned.works, report);
    if (redo.length > 0) {
      const again = distribute(contentRoot, redo, limits);
      for (const task of again) log(`task ${task.id}: one run over ${task.files.length} files (its run stops at broken input)`);
      progress.add(again.length);
      const rerun = await runTasks(again, backend, schedule);
      fresh = [...fresh, ...rerun];
      report = replaceRuns(report, redo, rerun);
    }
  } finally {
    progress.finish();
  }
  if (!signal.aborted) await memory.store(fresh);
  return { selected, entries: planned.entries, records: report };
}

/** Runs a scan and returns the exit code: 0 clean, 1 findings, 2 could not do its job, 130/143 on SIGINT/SIGTERM. */
export async function scan(options: ScanOptions, signal: AbortSignal): Promise<number> {
  const started = performance.now();
  const root = await findProjectRoot(options.cwd);
  const { file: configFile, pool_scanning: config } = await loadConfig(options.cwd, options.configFile);
  if (signal.aborted) return interruptedExitCode(signal);
  const workers = poolSize(options, config.pool.min_workers, config.pool.max_workers);
  const context: ScanContext = {
    options,
    config,
    root,
    contentRoot: root,
    workers,
    log: (line) => {
      if (options.verbose) process.stderr.write(`${line}\n`);
    },
    // Warnings survive --quiet: they say something is wrong, which progress output does not.
    warn: (line) => process.stderr.write(`jackpool: warning: ${redactCredentials(line)}\n`),
  };
  context.log(`project root: ${root}; config: ${configFile ?? "defaults (no .crackerjack.yaml)"}`);
  const decisions: ScalingDecision[] = [];
  const onScaling = (decision: ScalingDecision): void => {
    decisions.push(decision);
    context.log(describeDecision(decision));
  };
  let opening: Promise<OpenedBackend> | undefined;
  const open = (): Promise<OpenedBackend> =>
    (opening ??= openBackend({ mode: options.backend, config, workers, keepPools: options.keepPool, log: context.log, warn: context.warn, onScaling }));
  let snapshot: Awaited<ReturnType<typeof snapshotIndex>> | null = null;
  let result;
  try {
    // --staged checks the bytes being committed: tools run in a snapshot of the index, not the work tree.
    if (options.selection.mode === "staged") snapshot = await snapshotIndex(root);
    result = await runScan({ ...context, contentRoot: snapshot?.dir ?? root }, open, signal);
  } catch (error) {
    // Interrupted: whatever a stage threw while stopping (runScan's own throwIfAborted included) is the interrupt.
    if (!signal.aborted) throw error;
  } finally {
    // Closes whatever was opened, also when the scan failed while the backend was still starting.
    await (await opening?.catch(() => undefined))?.backend.close();
    await snapshot?.dispose();
    if (opening) await recordScaling(root, decisions);
  }
  if (signal.aborted || result === undefined) return interruptedExitCode(signal);

  const report = aggregate({
    version: JACKPOOL_VERSION,
    files: result.selected.length,
    tools: result.entries,
    records: result.records,
    durationMs: Math.round(performance.now() - started),
    skipMissing: options.skipMissing,
  });
  // A pass of everything that changed (or of everything) moves the starting point of the next plain scan.
  if (report.exitCode === 0 && (options.selection.mode === "changed" || options.selection.mode === "all")) await recordPass(root);
  await writeOutputs(report, options.outputs, options.cwd, root);
  return report.exitCode;
}
