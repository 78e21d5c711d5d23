import os from "node:os";
import path from "node:path";
import { ScanBackend } from "../backends/scan-backend.js";
import { loadConfig } from "../config/load.js";
import { findProjectRoot } from "../config/project-root.js";
import { UserError } from "../core/errors.js";
import { interruptedExitCode } from "../core/exit-codes.js";
import { snapshotIndex, type IndexSnapshot } from "../files/index-snapshot.js";
import { changedLinesSince } from "../files/git-changes.js";
import { recordPass } from "../files/last-pass.js";
import { scanFiles } from "../files/scan-files.js";
import { consultMemory } from "../memory/consult.js";
import { chooseTools } from "../plan/choose.js";
import { defaultMaxArgBytes, distribute } from "../plan/distribute.js";
import { prepareTools } from "../plan/prepare.js";
import { routeOf } from "../plan/routing.js";
import { narrowToTargets } from "../plan/targets.js";
import { planWorks } from "../plan/work.js";
import { aggregate } from "../report/aggregate.js";
import { writeOutputs } from "../report/outputs.js";
import { Progress } from "../report/progress.js";
import { runScanTasks } from "../schedule/run-scan-tasks.js";
import { JACKPOOL_VERSION } from "../self/version.js";
import { redactCredentials } from "../text/redact.js";
import { VersionCache } from "../toolchain/version-cache.js";
import { compareWithBaseline, goneEntries, keepChangedLines, lazySources, markReport } from "../baseline/apply.js";
import { readBaseline } from "../baseline/file.js";
import { finishBaseline } from "./baseline.js";
import type { ScanOptions } from "./scan-options.js";

/**
 * `jackpool scan`: the pipeline's stages, one after another (docs/architecture.md draws them). Returns the exit code:
 * 0 clean, 1 findings, 2 could not do its job, 130/143 on SIGINT/SIGTERM. After each stage that waits, an aborted
 * `signal` (Ctrl-C) ends the scan there: no later stage starts.
 */
export async function scan(options: ScanOptions, signal: AbortSignal): Promise<number> {
  const started = performance.now();
  const log = (line: string): void => void (options.verbose && process.stderr.write(`${line}\n`));
  // Warnings survive --quiet: they say something is wrong, which progress output does not.
  const warn = (line: string): void => void process.stderr.write(`jackpool: warning: ${redactCredentials(line)}\n`);
  const root = await findProjectRoot(options.cwd);
  const { file: configFile, pool_scanning: config } = await loadConfig(options.cwd, options.configFile);
  log(`project root: ${root}; config: ${configFile ?? "defaults (no .crackerjack.yaml)"}`);
  const chosen = chooseTools(config, { tools: options.tools, skipTools: options.skipTools, skips: options.skips });
  if (chosen.names.length === 0) throw new UserError("no tools to run: every configured tool is disabled or skipped");
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
  };
  const baselineName = config.baseline.path;
  const baselineFile = path.resolve(root, baselineName);
  // A baseline file that cannot be trusted stops the scan before anything starts (exit 2), and nothing is written.
  const baseline = options.baseline ? await readBaseline(baselineFile, baselineName, root) : null;
  const action = options.baselineAction;
  if (action?.action === "create" && baseline !== null)
    throw new UserError(`baseline create: ${baselineName} exists; \`jackpool baseline update\` keeps it up to date (or delete it first)`);
  if (action?.action === "update" && baseline === null)
    throw new UserError(`baseline update: there is no ${baselineName} yet; \`jackpool baseline create\` writes it`);
  const backends = new ScanBackend(routes, root);
  let snapshot: IndexSnapshot | null = null;
  try {
    const opening = backends.open();
    // --staged checks the bytes being committed: tools run in a snapshot of the index, not the work tree.
    if (options.selection.mode === "staged") snapshot = await snapshotIndex(root, signal);
    const contentRoot = snapshot?.dir ?? root;
    const remembering = config.memory.enabled && !options.noCache;
    const versions = remembering && !options.refresh ? await VersionCache.load(root) : null;
    const [prepared, files] = await Promise.all([
      prepareTools(chosen.names, config, root, versions, chosen.skipped, signal),
      scanFiles(root, options.selection, config.exclude, signal, [path.relative(root, baselineFile).split(path.sep).join("/")]),
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
    const planned = await planWorks(prepared, { root, contentRoot, selected: files.selected, allFiles: files.allFiles });
    signal.throwIfAborted();
    const memory = await consultMemory({
      config: config.memory,
      use: remembering,
      refresh: options.refresh,
      explain: options.explain,
      root,
      contentRoot,
      processes: workers,
      tools: prepared,
      works: planned.works,
      allFiles: files.allFiles,
      searchMemory: opening.then((opened) => opened.searchMemory).catch(() => undefined),
      log,
      warn,
      signal,
    });
    signal.throwIfAborted();
    const limits = { workers, maxArgBytes: defaultMaxArgBytes(), maxChunkFiles: options.maxChunkFiles };
    const tasks = distribute(contentRoot, await narrowToTargets(memory.misses, contentRoot, signal), limits);
    for (const task of tasks) log(`task ${task.id}: ${task.files.length} files, ~${Math.round(task.estimatedMs)} ms`);
    const { backend } = await opening;
    signal.throwIfAborted();
    log(`backend: ${backend.name}, ${backend.concurrency} worker threads`);
    const progress = new Progress(tasks.length, process.stderr, process.stderr.isTTY === true, options.quiet);
    const ran = await runScanTasks(
      tasks,
      backend,
      { signal, failFast: options.failFast, hooks: { onStart: (task) => progress.start(task), onEnd: (record) => progress.end(record) } },
      {
        planned: planned.works,
        replayed: memory.hits,
        plan: (works) => distribute(contentRoot, works, limits),
        onMore: (more) => progress.add(more.length),
      },
    ).finally(() => progress.finish());
    signal.throwIfAborted();
    await memory.remember(ran.fresh);
    let report = aggregate({
      version: JACKPOOL_VERSION,
      files: files.selected.length,
      tools: planned.entries,
      records: ran.records,
      durationMs: Math.round(performance.now() - started),
      skipMissing: options.skipMissing,
    });
    if (action)
      return await finishBaseline(action, report, baseline, { root, contentRoot, file: baselineFile, name: baselineName, signal });
    if (baseline !== null) {
      const holding = performance.now();
      const comparison = await compareWithBaseline(baseline, report.findings, lazySources(report.findings, contentRoot), {
        root,
        baselineFile: baselineName,
        signal,
      });
      const selected = options.selection.mode === "all" ? null : new Set(files.selected);
      const gone = await goneEntries(report, baseline, comparison, { selected, root });
      report = markReport(report, comparison, gone, baselineName, config.baseline.fail_on_gone);
      log(
        `baseline ${baselineName}: ${baseline.length} entries, ${report.summary.baselined} findings baselined, ${gone.length} gone, ${comparison.renames.size} renames, held in ${Math.round(performance.now() - holding)} ms`,
      );
    }
    if (options.changedLines && options.selection.mode === "since")
      report = keepChangedLines(report, await changedLinesSince(root, options.selection.ref, signal), options.selection.ref);
    // A pass of everything that changed (or of everything) moves the starting point of the next plain scan.
    if (report.exitCode === 0 && (options.selection.mode === "changed" || options.selection.mode === "all")) await recordPass(root);
    await writeOutputs(report, options.outputs, options.cwd, root, { showBaselined: options.showBaselined });
    return report.exitCode;
  } catch (error) {
    // Interrupted: whatever a stage threw while stopping is the interrupt.
    if (signal.aborted) return interruptedExitCode(signal);
    throw error;
  } finally {
    await backends.close();
    await snapshot?.dispose();
  }
}
