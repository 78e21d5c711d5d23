import os from "node:os";
import path from "node:path";
import { ScanBackend } from "../backends/scan-backend.js";
import type { PoolScanningConfig } from "../config/schema.js";
import { UserError } from "../core/errors.js";
import { snapshotIndex, type IndexSnapshot } from "../files/index-snapshot.js";
import { scanFiles } from "../files/scan-files.js";
import { consultMemory } from "../memory/consult.js";
import { chooseTools } from "../plan/choose.js";
import { defaultMaxArgBytes, distribute } from "../plan/distribute.js";
import { prepareTools } from "../plan/prepare.js";
import { routeOf } from "../plan/routing.js";
import { narrowToTargets } from "../plan/targets.js";
import { planWorks } from "../plan/work.js";
import { shipmentPlanner } from "../plan/shipment.js";
import type { ShipmentOf } from "../core/shipment.js";
import { deferred } from "../core/deferred.js";
import { aggregate } from "../report/aggregate.js";
import { Progress } from "../report/progress.js";
import type { Report } from "../report/report.js";
import { runScanTasks } from "../schedule/run-scan-tasks.js";
import { JACKPOOL_VERSION } from "../self/version.js";
import { VersionCache } from "../toolchain/version-cache.js";
import type { PipelineOptions } from "./pipeline-options.js";

/** What the pipeline needs besides the options: the project, its loaded configuration, and where notes go. */
export interface PipelineContext {
  root: string;
  config: PoolScanningConfig;
  /** Explanations (--verbose). */
  log: (line: string) => void;
  /** Warnings: said even under --quiet. */
  warn: (line: string) => void;
  /** When the scan started (performance.now()), for the report's duration. */
  started: number;
}

/** What a run of the pipeline made, for its caller's last steps while the files it scanned still exist. */
export interface PipelineResult {
  report: Report;
  /** Where the tools read the files: the project, or the snapshot of the index under --staged. */
  contentRoot: string;
  /** The files the scan selected, project-relative. */
  selected: readonly string[];
}

/**
 * The scan pipeline's stages, one after another (docs/architecture.md draws them): plan, consult memory, run the
 * misses, remember what ran, aggregate one report. `jackpool scan` and the daemon both run exactly this, so what the
 * daemon computes lands in memory under the keys a scan asks for. After each stage that waits, an aborted `signal`
 * ends the run there: no later stage starts, nothing more is remembered. `use` takes the result before the index
 * snapshot (--staged) is removed, so it can still read the scanned bytes (the baseline reads findings' lines).
 */
export async function runPipeline<T>(
  options: PipelineOptions,
  context: PipelineContext,
  signal: AbortSignal,
  use: (result: PipelineResult) => Promise<T>,
): Promise<T> {
  const { root, config, log, warn } = context;
  const chosen = chooseTools(config, { tools: options.tools, skipTools: options.skipTools, skips: options.skips });
  if (chosen.names.length === 0) throw new UserError("no tools to run: every configured tool is disabled or skipped");
  // The backend opens while the plan is made; a queue backend learns what each task needs shipped once it is.
  const planned = deferred<ShipmentOf>();
  const workers = options.jobs ?? Math.min(config.pool.max_workers, Math.max(config.pool.min_workers, os.availableParallelism()));
  const routes = {
    mode: options.backend,
    config,
    workers,
    keepPools: options.keepPool,
    log,
    warn,
    routeOf: (name: string) => routeOf(name, config),
    signal,
    shipmentOf: planned.promise,
  };
  const backends = new ScanBackend(routes, root);
  let snapshot: IndexSnapshot | null = null;
  try {
    const opening = backends.open();
    // --staged checks the bytes being committed: tools run in a snapshot of the index, not the work tree.
    if (options.selection.mode === "staged") snapshot = await snapshotIndex(root, signal);
    const contentRoot = snapshot?.dir ?? root;
    const remembering = config.memory.enabled && !options.noCache;
    const versions = remembering && !options.refresh ? await VersionCache.load(root) : null;
    // The baseline file is jackpool's, not the project's: no tool checks it (it quotes findings, typos included).
    const own = [path.relative(root, path.resolve(root, config.baseline.path)).split(path.sep).join("/")];
    const [prepared, files] = await Promise.all([
      prepareTools(chosen.names, config, root, versions, chosen.skipped, signal),
      scanFiles(root, options.selection, config.exclude, signal, own),
    ]);
    signal.throwIfAborted();
    for (const note of files.notes) warn(note);
    for (const tool of prepared)
      log(
        `tool ${tool.name}: ${tool.kind === "ready" && tool.program.kind === "process" ? tool.program.executable : tool.kind} ${tool.version ?? ""} ${tool.kind === "preempted" ? tool.note : ""}`,
      );
    log(
      `files selected: ${files.selected.length} (${files.selection.mode === "since" ? `since ${files.selection.ref}` : files.selection.mode})`,
    );
    const plan = await planWorks(prepared, { root, contentRoot, selected: files.selected, allFiles: files.allFiles });
    signal.throwIfAborted();
    planned.resolve(shipmentPlanner({ contentRoot, tools: prepared, works: plan.works, allFiles: files.allFiles }));
    const memory = await consultMemory({
      config: config.memory,
      use: remembering,
      refresh: options.refresh,
      explain: options.explain,
      root,
      contentRoot,
      processes: workers,
      tools: prepared,
      works: plan.works,
      allFiles: files.allFiles,
      searchMemory: opening.then((opened) => opened.searchMemory).catch(() => undefined),
      log,
      warn,
      signal,
    });
    signal.throwIfAborted();
    const misses = await narrowToTargets(memory.misses, contentRoot, signal);
    const { backend, parallelism = 0 } = await opening;
    signal.throwIfAborted();
    // Work is chunked for what can run at once: the local threads, or the queue workers' slots when there are more.
    const limits = { workers: Math.max(workers, parallelism), maxArgBytes: defaultMaxArgBytes(), maxChunkFiles: options.maxChunkFiles };
    const tasks = distribute(contentRoot, misses, limits);
    for (const task of tasks) log(`task ${task.id}: ${task.files.length} files, ~${Math.round(task.estimatedMs)} ms`);
    log(`backend: ${backend.name}, ${backend.concurrency} worker threads`);
    const progress = new Progress(tasks.length, process.stderr, process.stderr.isTTY === true, options.quiet);
    const ran = await runScanTasks(
      tasks,
      backend,
      { signal, failFast: options.failFast, hooks: { onStart: (task) => progress.start(task), onEnd: (record) => progress.end(record) } },
      {
        planned: plan.works,
        replayed: memory.hits,
        plan: (works) => distribute(contentRoot, works, limits),
        onMore: (more) => progress.add(more.length),
      },
    ).finally(() => progress.finish());
    signal.throwIfAborted();
    await memory.remember(ran.fresh);
    const report = aggregate({
      version: JACKPOOL_VERSION,
      files: files.selected.length,
      tools: plan.entries,
      records: ran.records,
      durationMs: Math.round(performance.now() - context.started),
      skipMissing: options.skipMissing,
    });
    return await use({ report, contentRoot, selected: files.selected });
  } finally {
    await backends.close();
    await snapshot?.dispose();
  }
}
