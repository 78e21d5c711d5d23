import { rm } from "node:fs/promises";
import path from "node:path";
import { readProjectState, writeProjectState } from "../state/project-state.js";

const UNWATCHABLE_STATE = "daemon-unwatchable.json";

/**
 * Why the last daemon of a project could not watch its tree (no inotify watches left, a filesystem that refuses
 * watching), kept so that `daemon: auto` does not start a daemon that cannot work on every scan: the scans run
 * without one, and the first of them says why, once. A record of another jackpool version or configuration is
 * stale (it may watch now); `jackpool daemon start` clears it and tries again.
 */
export interface UnwatchableRecord {
  /** The daemon process that failed. */
  pid: number;
  reason: string;
  version: string;
  config: string;
  /** Whether a scan has said so already. */
  noted: boolean;
}

export async function writeUnwatchable(root: string, record: UnwatchableRecord): Promise<void> {
  await writeProjectState(root, UNWATCHABLE_STATE, record);
}

export async function readUnwatchable(root: string): Promise<UnwatchableRecord | undefined> {
  const value = await readProjectState(root, UNWATCHABLE_STATE);
  if (typeof value !== "object" || value === null) return undefined;
  const { pid, reason, version, config, noted } = value as Partial<UnwatchableRecord>;
  if (typeof pid !== "number" || typeof reason !== "string" || typeof version !== "string" || typeof config !== "string") return undefined;
  return { pid, reason, version, config, noted: noted === true };
}

export async function clearUnwatchable(root: string): Promise<void> {
  await rm(path.join(root, ".crackerjack", UNWATCHABLE_STATE), { force: true });
}
