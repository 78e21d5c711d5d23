import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readProjectState, writeProjectState } from "../state/project-state.js";

/** The longest socket path Linux takes (sun_path is 108 bytes, with its terminating NUL). */
const MAX_SOCKET_PATH = 100;

/**
 * The daemon's Unix socket: `.crackerjack/daemon.sock` in the project, or, when that path is too long for a socket,
 * one in the temp directory named by a digest of the project root (so still one per project).
 */
export function socketPath(root: string): string {
  const inProject = path.join(root, ".crackerjack", "daemon.sock");
  if (Buffer.byteLength(inProject) <= MAX_SOCKET_PATH) return inProject;
  const digest = createHash("sha256").update(root).digest("hex").slice(0, 16);
  return path.join(os.tmpdir(), `jackpool-daemon-${digest}.sock`);
}

/** The daemon's log: what it ran, and why it stopped. */
export function logPath(root: string): string {
  return path.join(root, ".crackerjack", "daemon.log");
}

const PID_STATE = "daemon.json";

/** What a running daemon writes about itself beside its socket. */
export interface DaemonRecord {
  pid: number;
  version: string;
  startedAt: string;
}

export async function writeDaemonRecord(root: string, record: DaemonRecord): Promise<boolean> {
  return writeProjectState(root, PID_STATE, record);
}

export async function readDaemonRecord(root: string): Promise<DaemonRecord | undefined> {
  const value = await readProjectState(root, PID_STATE);
  if (typeof value !== "object" || value === null) return undefined;
  const { pid, version, startedAt } = value as Partial<DaemonRecord>;
  if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, version: String(version), startedAt: String(startedAt) };
}

function lockPath(root: string): string {
  return path.join(root, ".crackerjack", "daemon.lock");
}

/**
 * Takes the project's daemon lock (`.crackerjack/daemon.lock`, created exclusively, holding the pid): one daemon per
 * project even when two start at once. A lock whose process is gone (a daemon killed with SIGKILL) is taken over.
 * Returns the pid that holds it when that is another live process.
 */
export async function takeDaemonLock(root: string): Promise<number | null> {
  const file = lockPath(root);
  await mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: "wx" });
      return null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(await readFile(file, "utf8").catch(() => ""));
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) return holder;
      await rm(file, { force: true });
    }
  }
  return Number(await readFile(file, "utf8").catch(() => "0"));
}

/** Releases the lock when this process holds it. */
export async function releaseDaemonLock(root: string): Promise<void> {
  const holder = Number(await readFile(lockPath(root), "utf8").catch(() => ""));
  if (holder === process.pid) await rm(lockPath(root), { force: true });
}

/** Removes the socket and the record of a daemon that is gone (or going). */
export async function removeDaemonFiles(root: string): Promise<void> {
  await rm(socketPath(root), { force: true });
  await rm(path.join(root, ".crackerjack", PID_STATE), { force: true });
}

/**
 * Whether a process with this id runs (signal 0 checks without sending anything). A killed daemon stays a zombie
 * until init reaps it, which can take a while: a zombie runs nothing, so on Linux it counts as gone.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    return /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))?.[1] !== "Z";
  } catch {
    return true; // no /proc: the signal said it exists
  }
}

/** A digest of the configuration a daemon runs with: the config file's path and bytes (or none: the defaults). */
export async function configDigest(configFile: string | null): Promise<string> {
  const hash = createHash("sha256").update(configFile ?? "(defaults)");
  if (configFile !== null) hash.update(await readFile(configFile).catch(() => Buffer.from("(unreadable)")));
  return hash.digest("hex").slice(0, 16);
}
