import { spawn } from "node:child_process";
import { existsSync, openSync, closeSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { PoolScanningConfig } from "../config/schema.js";
import { UserError } from "../core/errors.js";
import { selfCommand } from "../self/self-command.js";
import { counted } from "../text/counted.js";
import { JACKPOOL_VERSION } from "../self/version.js";
import { configDigest, logPath, processAlive, readDaemonRecord, removeDaemonFiles, socketPath } from "./files.js";
import { ask, DaemonUnreachable, type DaemonStatus } from "./protocol.js";
import { clearUnwatchable, readUnwatchable, writeUnwatchable } from "./unwatchable.js";

/** How long a quick question (ping, status, stop) may take. */
const QUICK_MS = 3000;
/** How long `daemon start` waits for the new daemon to answer (it walks the tree first). */
const START_MS = 60_000;
/** How long `daemon stop` waits for the daemon to go before it kills it. */
const STOP_MS = 20_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The running daemon's status, or null when none answers. With `clean`, a socket nobody listens on (left by a daemon
 * that died) is removed with its record; never while a daemon may be starting (it removes a stale socket itself).
 */
export async function daemonStatus(root: string, signal?: AbortSignal, { clean = true } = {}): Promise<DaemonStatus | null> {
  try {
    const answer = await ask(socketPath(root), { op: "status" }, QUICK_MS, signal);
    return answer.ok ? answer.status : null;
  } catch (error) {
    if (clean && error instanceof DaemonUnreachable && error.kind === "refused") await removeStale(root);
    return null;
  }
}

/**
 * Removes the socket and record of a daemon nobody answers for: a socket that refuses connections was left by a
 * daemon that died (SIGKILL, a crash). Says whether there were any.
 */
async function removeStale(root: string): Promise<boolean> {
  const record = await readDaemonRecord(root);
  const had = record !== undefined || existsSync(socketPath(root));
  await removeDaemonFiles(root);
  return had;
}

/** Starts the daemon in the background (detached, its output to `.crackerjack/daemon.log`); returns its pid. */
function spawnDaemon(root: string, configFile: string | null): number {
  const [command, ...args] = selfCommand();
  if (command === undefined) throw new Error("jackpool cannot find its own executable");
  mkdirSync(path.dirname(logPath(root)), { recursive: true });
  const log = openSync(logPath(root), "a");
  try {
    const child = spawn(command, [...args, "daemon", "run", ...(configFile === null ? [] : ["--config", configFile])], {
      cwd: root,
      detached: true,
      stdio: ["ignore", log, log],
    });
    child.unref();
    if (child.pid === undefined) throw new UserError("the daemon did not start (see .crackerjack/daemon.log)");
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** `jackpool daemon start`: refuses when one runs, else starts one and waits until it answers. */
export async function startDaemon(root: string, configFile: string | null, signal: AbortSignal): Promise<DaemonStatus> {
  const running = await daemonStatus(root, signal);
  if (running) throw new UserError(`a daemon already runs for ${root} (pid ${running.pid}); jackpool daemon stop ends it`);
  await clearUnwatchable(root); // asked for by name: try watching again
  const pid = spawnDaemon(root, configFile);
  const deadline = Date.now() + START_MS;
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    const status = await daemonStatus(root, signal, { clean: false });
    if (status) return status;
    if (!processAlive(pid)) {
      const refused = await readUnwatchable(root);
      if (refused?.pid === pid) throw new UserError(`the daemon cannot watch ${root}: ${refused.reason}`);
      throw new UserError(`the daemon exited at start (see ${logPath(root)})`);
    }
    await sleep(100);
  }
  throw new UserError(`the daemon (pid ${pid}) did not answer in ${START_MS / 1000} s (see ${logPath(root)})`);
}

/** `jackpool daemon stop`: asks the daemon to stop and waits until its process is gone (killing it if it hangs). */
export async function stopDaemon(root: string, signal: AbortSignal): Promise<number | null> {
  const status = await daemonStatus(root, signal);
  if (!status) return null;
  await ask(socketPath(root), { op: "stop" }, QUICK_MS, signal).catch(() => undefined);
  const deadline = Date.now() + STOP_MS;
  while (processAlive(status.pid) && Date.now() < deadline) await sleep(50);
  if (processAlive(status.pid)) {
    process.kill(status.pid, "SIGKILL");
    await removeDaemonFiles(root);
  }
  return status.pid;
}

/** What a scan needs to talk to the daemon. */
export interface DaemonQuestion {
  root: string;
  configFile: string | null;
  config: PoolScanningConfig["daemon"];
  /** --verbose lines. */
  log: (line: string) => void;
  /** One line the user sees (stderr), even under --quiet. */
  note: (line: string) => void;
  /** Progress for a person at a terminal (what the scan waits for); absent when nobody watches (no TTY, --quiet). */
  progress?: (line: string) => void;
  signal: AbortSignal;
}

/** What work of the daemon a scan is about to wait for, in one line; null when it has none. */
export function waitingLine(status: DaemonStatus): string | null {
  if (status.running) return `waiting for the daemon's work: ${status.running.phase} (${status.running.tools.join(", ")})`;
  if (status.state !== "queued") return null;
  const { changedFiles, wholeProject } = status.queued;
  const parts = [...(changedFiles > 0 ? [counted(changedFiles, "saved file")] : []), ...(wholeProject ? ["the whole-project tools"] : [])];
  return `waiting for the daemon's work: ${parts.length > 0 ? parts.join(" and ") : "changes"}, queued`;
}

/**
 * Before a scan consults memory: when a daemon runs for the project, wait for the work it has queued or running
 * (bounded by `wait_seconds`), so the scan finds those results in memory instead of running them a second time.
 * A daemon that is absent, dead (stale socket), of another version or configuration, silent or answering nonsense
 * leaves the scan to run by itself, with one note; `auto` then starts a fresh daemon for the next scan. Never throws
 * but for an interrupt.
 */
export async function consultDaemon(question: DaemonQuestion): Promise<void> {
  const { root, configFile, config, log, note, progress, signal } = question;
  if (config.mode === "off") return;
  const socket = socketPath(root);
  const startForNext = async (): Promise<void> => {
    // A daemon that could not watch this tree is not started again for every scan: the first scan after says why.
    const refused = await readUnwatchable(root);
    if (refused && refused.version === JACKPOOL_VERSION && refused.config === (await configDigest(configFile))) {
      if (!refused.noted) {
        note(`no daemon for this project: it cannot watch the tree (${refused.reason}); scanning without it`);
        await writeUnwatchable(root, { ...refused, noted: true });
      }
      return;
    }
    if (config.mode !== "auto") return;
    try {
      const pid = spawnDaemon(root, configFile);
      note(`started a daemon for this project (pid ${pid}); it computes ahead for the next scans`);
    } catch (error) {
      note(`could not start a daemon: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  if (!existsSync(socket)) return startForNext();
  const started = performance.now();
  try {
    const digest = await configDigest(configFile);
    if (progress) {
      // Said only of a daemon this scan will wait for: one of another version or configuration is not waited on.
      const now = await daemonStatus(root, signal, { clean: false });
      const line = now && now.version === JACKPOOL_VERSION && now.config === digest ? waitingLine(now) : null;
      if (line) progress(line);
    }
    const answer = await ask(socket, { op: "wait", version: JACKPOOL_VERSION, config: digest }, config.wait_seconds * 1000, signal);
    if (answer.ok) {
      const waited = answer.waitedMs ?? 0;
      log(`daemon (pid ${answer.status.pid}): ${waited > 0 ? `waited ${(waited / 1000).toFixed(1)} s for its work` : "nothing under way"}`);
      return;
    }
    const why = {
      version: `runs jackpool ${answer.status?.version ?? "of another version"}, not ${JACKPOOL_VERSION} (it stops now)`,
      config: "runs with another configuration",
      stopping: "is stopping",
      "bad-request": "did not understand the question",
    }[answer.reason];
    note(`the daemon ${why}; scanning without it`);
  } catch (error) {
    signal.throwIfAborted();
    const problem = error instanceof DaemonUnreachable ? error : new DaemonUnreachable("closed", String(error));
    if (problem.kind === "absent") return startForNext(); // it stopped just now
    if (problem.kind === "refused") {
      if (await removeStale(root)) note("the daemon is not running (it left a stale socket, now removed); scanning without it");
      return startForNext();
    }
    const waited = ((performance.now() - started) / 1000).toFixed(1);
    note(`the daemon did not answer usefully (${problem.message}, after ${waited} s); scanning without it`);
  }
}
