import { loadConfig } from "../config/load.js";
import { findProjectRoot } from "../config/project-root.js";
import { UserError } from "../core/errors.js";
import { daemonStatus, startDaemon, stopDaemon } from "../daemon/client.js";
import type { DaemonStatus } from "../daemon/protocol.js";
import { runDaemon } from "../daemon/server.js";
import { printable } from "../text/printable.js";

export interface DaemonFlags {
  config?: string;
  json?: boolean;
}

const mib = (bytes: number): string => `${(bytes / (1 << 20)).toFixed(0)} MiB`;
const ago = (iso: string): string => `${((Date.now() - Date.parse(iso)) / 1000).toFixed(1)} s ago`;

/** `jackpool daemon status` as text: what it watches, what is queued and running, when it last finished, its memory. */
function statusText(status: DaemonStatus): string {
  const work =
    status.running !== null
      ? `running: ${status.running.phase}${status.running.files > 0 ? ` (${status.running.files} files)` : ""}, ${status.running.tools.join(", ")}, since ${ago(status.running.since)}`
      : status.state === "queued"
        ? `queued: ${status.queued.changedFiles} saved file(s)${status.queued.wholeProject ? ", then every tool over the project" : ""}`
        : "idle: memory is up to date with the tree";
  const last = status.lastFinished
    ? `${status.lastFinished.phase === "files" ? "per-file tools" : "whole project"}, ${ago(status.lastFinished.at)}, took ${(status.lastFinished.durationMs / 1000).toFixed(1)} s` +
      (status.lastFinished.error
        ? `, failed: ${status.lastFinished.error}`
        : `, ${status.lastFinished.tasks} tasks run, ${status.lastFinished.fromMemory} results from memory`)
    : "not yet";
  return [
    `daemon: pid ${status.pid}, jackpool ${status.version}, up since ${status.startedAt}`,
    `project: ${printable(status.root)} (config: ${status.configFile === null ? "defaults" : printable(status.configFile)})`,
    `watching: ${status.watching.directories} directories, ${status.watching.files} files (.gitignore and exclude applied)`,
    `work: ${work}`,
    `last finished: ${last}`,
    `changes seen: ${status.changesSeen}; runs: ${status.runs.finished} finished, ${status.runs.cancelled} cancelled, ${status.runs.failed} failed`,
    `memory: ${mib(status.rssBytes)} resident`,
  ].join("\n");
}

/** `jackpool daemon start|stop|status` (and `run`, the daemon process itself, which `start` launches). */
export async function daemonCommand(action: string, flags: DaemonFlags, cwd: string, signal: AbortSignal): Promise<number> {
  const root = await findProjectRoot(cwd);
  switch (action) {
    case "start": {
      const { file } = await loadConfig(cwd, flags.config);
      const status = await startDaemon(root, file, signal);
      process.stdout.write(
        flags.json ? `${JSON.stringify(status)}\n` : `jackpool: daemon started (pid ${status.pid}), watching ${printable(root)}\n`,
      );
      return 0;
    }
    case "stop": {
      const pid = await stopDaemon(root, signal);
      process.stdout.write(pid === null ? `jackpool: no daemon runs for ${printable(root)}\n` : `jackpool: daemon stopped (pid ${pid})\n`);
      return 0;
    }
    case "status": {
      const status = await daemonStatus(root, signal);
      if (flags.json) process.stdout.write(`${JSON.stringify(status)}\n`);
      else process.stdout.write(status === null ? `jackpool: no daemon runs for ${printable(root)}\n` : `${statusText(status)}\n`);
      return status === null ? 3 : 0;
    }
    case "run": {
      const { file, pool_scanning: config } = await loadConfig(cwd, flags.config);
      return runDaemon({ root, configFile: file, config }, signal);
    }
    default:
      throw new UserError(`daemon: unknown action "${action}"; expected start, stop or status`);
  }
}
