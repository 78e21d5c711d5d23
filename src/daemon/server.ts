import { appendFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { PoolScanningConfig } from "../config/schema.js";
import { UserError } from "../core/errors.js";
import { chooseTools } from "../plan/choose.js";
import { runPipeline } from "../pipeline/pipeline.js";
import type { PipelineOptions } from "../pipeline/pipeline-options.js";
import { JACKPOOL_VERSION } from "../self/version.js";
import { oneLine } from "../text/printable.js";
import { toolNamed } from "../tools/registry.js";
import { configDigest, logPath, releaseDaemonLock, removeDaemonFiles, socketPath, takeDaemonLock, writeDaemonRecord } from "./files.js";
import { type DaemonAnswer, type DaemonRequest, type DaemonStatus } from "./protocol.js";
import { clearUnwatchable, writeUnwatchable } from "./unwatchable.js";
import { watchProject, type ProjectWatch } from "./watch.js";

/** The daemon's project and configuration. */
export interface DaemonSetup {
  root: string;
  configFile: string | null;
  config: PoolScanningConfig;
}

/** The longest request line a daemon reads. */
const MAX_REQUEST_BYTES = 64 * 1024;

/** The daemon's own scans: the configured tools, the local pool, memory on, nothing printed. */
function pipelineOptions(selection: PipelineOptions["selection"], tools: string[] | undefined): PipelineOptions {
  return {
    selection,
    tools,
    skips: { shared: [], own: [] },
    failFast: false,
    skipMissing: true,
    noCache: false,
    refresh: false,
    explain: false,
    quiet: true,
    backend: "local",
    keepPool: false,
  };
}

/** The saved files a phase covers (for the project phase: those saved before it started, when a scan hurried it). */
type Phase = { kind: "files"; files: string[] } | { kind: "project"; files: string[] };

/**
 * The daemon process (`jackpool daemon run`): listens on the project's socket, watches the tree, and runs the scan
 * pipeline ahead of the commit. A saved file runs the per-file tools on the saved files once `debounce_ms` passed
 * without another save; once `quiet_ms` passed, every tool runs over the project (per-file results are then hits, the
 * whole-project tools run). A new save cancels the work under way (its signal) and starts the wait again. Results go
 * through the pipeline's own memory path, so the daemon never stores what a scan would not. Resolves when it stops:
 * `stop`, `signal`, idle for `idle_seconds`, its configuration file changed, a client of another jackpool version, or
 * a watcher that failed. Returns the exit code.
 */
export async function runDaemon(setup: DaemonSetup, signal: AbortSignal): Promise<number> {
  const { root, configFile, config } = setup;
  const socket = socketPath(root);
  const log = (line: string): void =>
    void appendFile(logPath(root), `${new Date().toISOString()} ${oneLine(line, 2000)}\n`).catch(() => {});
  // One daemon per project: the lock says so even when two start at once; a socket left behind is then stale.
  const holder = await takeDaemonLock(root);
  if (holder !== null) throw new UserError(`a daemon already runs for ${root} (pid ${holder})`);
  await rm(socket, { force: true });
  // The work ahead must not slow the editor or a scan the user started: lowest priority for it and its tools.
  try {
    os.setPriority(10);
  } catch {
    // not allowed: run at the usual priority
  }
  const digest = await configDigest(configFile);
  const startedAt = new Date().toISOString();
  const chosen = chooseTools(config, { skips: { shared: [], own: [] } }).names;
  const perFileTools = chosen.filter((name) => toolNamed(name, config.tools)?.spec.scope !== "whole-project");
  const { debounce_ms: debounceMs, quiet_ms: quietMs, idle_seconds: idleSeconds } = config.daemon;

  const changed = new Set<string>();
  let projectDue = true; // catch up once at start: the memory may be behind the tree
  let changesSeen = 0;
  let lastActivity = Date.now();
  let filesTimer: NodeJS.Timeout | undefined;
  let projectTimer: NodeJS.Timeout | undefined;
  let running: { controller: AbortController; phase: Phase; since: string; done: Promise<void> } | null = null;
  let lastFinished: DaemonStatus["lastFinished"] = null;
  const runs = { finished: 0, cancelled: 0, failed: 0 };
  const waiters: (() => void)[] = [];
  let watcher: ProjectWatch | undefined;
  let stopping = false;
  let stopped!: (code: number) => void;
  const finished = new Promise<number>((resolve) => (stopped = resolve));

  const state = (): DaemonStatus["state"] =>
    running ? "running" : changed.size > 0 || projectDue || filesTimer || projectTimer ? "queued" : "idle";
  const status = (): DaemonStatus => ({
    pid: process.pid,
    version: JACKPOOL_VERSION,
    root,
    configFile,
    config: digest,
    startedAt,
    watching: { ...(watcher?.counts() ?? { directories: 0, files: 0 }), ready: watcher !== undefined },
    state: state(),
    queued: { changedFiles: changed.size, wholeProject: projectDue },
    running: running && {
      phase: running.phase.kind === "files" ? "per-file tools on saved files" : "every tool over the project",
      tools: running.phase.kind === "files" ? perFileTools : chosen,
      files: running.phase.kind === "files" ? running.phase.files.length : 0,
      since: running.since,
    },
    lastFinished,
    changesSeen,
    runs,
    rssBytes: process.memoryUsage.rss(),
  });

  const settleWaiters = (): void => {
    if (state() !== "idle") return;
    for (const wake of waiters.splice(0)) wake();
  };

  const run = async (phase: Phase, controller: AbortController): Promise<void> => {
    // A configuration file outside the watched tree is checked before each run.
    if ((await configDigest(configFile)) !== digest) return void shutdown("the configuration file changed");
    const started = performance.now();
    const selection: PipelineOptions["selection"] =
      phase.kind === "files" ? { mode: "paths", paths: phase.files, cwd: root } : { mode: "all" };
    const context = { root, config, log: () => {}, warn: (line: string) => log(`warning: ${line}`), started };
    log(phase.kind === "files" ? `per-file tools on ${phase.files.length} saved file(s)` : "every tool over the project");
    try {
      const report = await runPipeline(
        pipelineOptions(selection, phase.kind === "files" ? perFileTools : undefined),
        context,
        controller.signal,
        (result) => Promise.resolve(result.report),
      );
      const durationMs = Math.round(performance.now() - started);
      lastFinished = {
        at: new Date().toISOString(),
        phase: phase.kind,
        durationMs,
        tasks: report.summary.tasks,
        fromMemory: report.summary.fromMemory,
      };
      runs.finished++;
      for (const file of phase.files) changed.delete(file);
      if (phase.kind === "project") projectDue = false;
      log(`done in ${durationMs} ms: ${report.summary.tasks} tasks run, ${report.summary.fromMemory} results from memory`);
    } catch (error) {
      if (controller.signal.aborted) {
        runs.cancelled++;
        log("cancelled");
      } else {
        runs.failed++;
        const message = error instanceof Error ? error.message : String(error);
        lastFinished = {
          at: new Date().toISOString(),
          phase: phase.kind,
          durationMs: Math.round(performance.now() - started),
          tasks: 0,
          fromMemory: 0,
          error: message,
        };
        // Not retried until the next change: a scan runs by itself and says what is wrong.
        for (const file of phase.files) changed.delete(file);
        if (phase.kind === "project") projectDue = false;
        log(`failed: ${message}`);
      }
    }
  };

  /**
   * Starts the next piece of work when nothing runs and its quiet period is over; wakes waiters when none is left.
   * While a scan waits, the quiet period before the whole-project tools is skipped (the save debounce still holds),
   * and what is queued runs as one phase, every tool over the project, the saved files' per-file runs included: per-file
   * and whole-project tools then share the pool at once, as in a scan without a daemon, not one phase after the other.
   */
  const pump = (): void => {
    if (running || stopping) return;
    let phase: Phase | undefined;
    if (waiters.length > 0 && !filesTimer && (changed.size > 0 || projectDue)) {
      clearTimeout(projectTimer);
      projectTimer = undefined;
      phase = { kind: "project", files: [...changed].sort() };
    } else if (changed.size > 0 && !filesTimer && perFileTools.length > 0) phase = { kind: "files", files: [...changed].sort() };
    else if (changed.size > 0 && perFileTools.length === 0) changed.clear();
    if (!phase && changed.size === 0 && projectDue && !projectTimer && !filesTimer) phase = { kind: "project", files: [] };
    if (!phase) return settleWaiters();
    const controller = new AbortController();
    const current = { controller, phase, since: new Date().toISOString(), done: Promise.resolve() };
    running = current;
    current.done = run(phase, controller).finally(() => {
      running = null;
      lastActivity = Date.now();
      pump();
    });
  };

  const shutdown = async (why: string, code = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`stopping: ${why}`);
    clearTimeout(filesTimer);
    clearTimeout(projectTimer);
    running?.controller.abort();
    await running?.done;
    for (const wake of waiters.splice(0)) wake();
    await watcher?.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await removeDaemonFiles(root);
    await releaseDaemonLock(root);
    stopped(code);
  };

  const onChange = (relative: string): void => {
    if (stopping) return;
    lastActivity = Date.now();
    changesSeen++;
    if (configFile !== null && path.resolve(root, relative) === path.resolve(configFile)) {
      // A configuration edit changes what every result means: this daemon's plan is stale. A scan in auto mode starts a new one.
      void shutdown("the configuration file changed");
      return;
    }
    changed.add(relative);
    projectDue = true;
    running?.controller.abort();
    clearTimeout(filesTimer);
    clearTimeout(projectTimer);
    filesTimer = setTimeout(() => {
      filesTimer = undefined;
      pump();
    }, debounceMs);
    projectTimer = setTimeout(() => {
      projectTimer = undefined;
      pump();
    }, quietMs);
  };

  const answer = async (request: DaemonRequest): Promise<DaemonAnswer> => {
    lastActivity = Date.now();
    switch (request.op) {
      case "ping":
      case "status":
        return { ok: true, status: status() };
      case "stop":
        setImmediate(() => void shutdown("asked to stop"));
        return { ok: true, status: status() };
      case "wait": {
        if (request.version !== JACKPOOL_VERSION) {
          // Another jackpool: its keys may differ. This daemon leaves; the next one is that version's.
          setImmediate(() => void shutdown(`a client of jackpool ${request.version} asked (this is ${JACKPOOL_VERSION})`));
          return { ok: false, reason: "version", status: status() };
        }
        if (request.config !== digest) return { ok: false, reason: "config", status: status() };
        if (state() === "idle") return { ok: true, status: status(), waitedMs: 0 };
        const waiting = performance.now();
        const woken = new Promise<void>((resolve) => waiters.push(resolve));
        pump(); // a scan waits: what is queued need not wait out its quiet period
        await woken;
        if (stopping) return { ok: false, reason: "stopping" };
        return { ok: true, status: status(), waitedMs: Math.max(1, Math.round(performance.now() - waiting)) };
      }
      default:
        return { ok: false, reason: "bad-request" };
    }
  };

  const server = net.createServer((connection) => {
    let received = "";
    connection.setEncoding("utf8");
    connection.on("error", () => {});
    connection.on("data", (chunk: string) => {
      received += chunk;
      if (received.length > MAX_REQUEST_BYTES) return void connection.destroy();
      const end = received.indexOf("\n");
      if (end === -1) return;
      connection.pause();
      let request: DaemonRequest;
      try {
        request = JSON.parse(received.slice(0, end)) as DaemonRequest;
      } catch {
        return void connection.end(`${JSON.stringify({ ok: false, reason: "bad-request" })}\n`);
      }
      void answer(request).then((reply) => connection.end(`${JSON.stringify(reply)}\n`));
    });
  });

  // A tree it cannot watch is recorded, so that scans run without a daemon instead of starting one that cannot work.
  const unwatchable = async (error: unknown): Promise<string> => {
    const reason = oneLine(error instanceof Error ? error.message : String(error), 300);
    await writeUnwatchable(root, { pid: process.pid, reason, version: JACKPOOL_VERSION, config: digest, noted: false });
    return reason;
  };
  try {
    watcher = await watchProject(root, config.exclude, onChange, (error) => {
      void unwatchable(error).then((reason) => shutdown(`the watcher failed: ${reason}`, 1));
    });
    await watcher.ready;
  } catch (error) {
    await watcher?.close();
    await releaseDaemonLock(root);
    throw new UserError(`cannot watch ${root}: ${await unwatchable(error)}; scans run without a daemon here`);
  }
  await clearUnwatchable(root);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(socket, () => resolve());
    });
  } catch (error) {
    await watcher.close();
    await releaseDaemonLock(root);
    throw new UserError(`cannot listen on ${socket}: ${error instanceof Error ? error.message : String(error)}`);
  }
  await writeDaemonRecord(root, { pid: process.pid, version: JACKPOOL_VERSION, startedAt });
  log(`started: pid ${process.pid}, jackpool ${JACKPOOL_VERSION}, watching ${root}`);
  signal.addEventListener("abort", () => void shutdown(`signal ${String(signal.reason)}`), { once: true });
  const idleCheck = setInterval(
    () => {
      if (state() === "idle" && Date.now() - lastActivity >= idleSeconds * 1000) void shutdown(`idle for ${idleSeconds} s`);
    },
    Math.min(60_000, idleSeconds * 250),
  );
  pump();
  const code = await finished;
  clearInterval(idleCheck);
  return code;
}
