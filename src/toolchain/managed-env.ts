import { readFile } from "node:fs/promises";
import path from "node:path";
import { jackpoolCacheDir } from "../self/cache-home.js";
import { jackpoolLock, type ToolLock } from "./lock.js";

/** Where one lock's managed environment lives: `<cache>/tools/<lock hash>/`. */
export interface ManagedEnv {
  root: string;
  venv: string;
  /** The virtualenv's bin: the Python tools' entry points. */
  bin: string;
  /** The Go tools, outside the virtualenv so rebuilding it does not mean rebuilding them. */
  goBin: string;
  python: string;
  /** Written last by a successful install: an environment without it is unfinished and is never used. */
  marker: string;
}

/** What a finished install recorded. */
export interface InstallMarker {
  lockHash: string;
  /** The interpreter the virtualenv was made from, and its version. */
  basePython: string;
  pythonVersion: string;
}

/** The managed environment of `lock` (jackpool's own by default) under jackpool's XDG cache directory. */
export function managedEnv(lock: ToolLock = jackpoolLock(), env: NodeJS.ProcessEnv = process.env): ManagedEnv {
  const root = path.join(jackpoolCacheDir(env), "tools", lock.hash);
  const venv = path.join(root, "venv");
  const bin = path.join(venv, "bin");
  return { root, venv, bin, goBin: path.join(root, "go-bin"), python: path.join(bin, "python"), marker: path.join(root, "installed.json") };
}

/** The marker of a finished install, or null when the environment was never finished (or is another lock's). */
export async function readMarker(managed: ManagedEnv, lock: ToolLock = jackpoolLock()): Promise<InstallMarker | null> {
  try {
    const marker = JSON.parse(await readFile(managed.marker, "utf8")) as Partial<InstallMarker>;
    if (marker.lockHash !== lock.hash || typeof marker.basePython !== "string" || typeof marker.pythonVersion !== "string") return null;
    return marker as InstallMarker;
  } catch {
    return null;
  }
}

/** The directories scans take managed tools from, once `jackpool tools install` has finished them for this build's lock. */
export async function installedManagedBins(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const managed = managedEnv(jackpoolLock(), env);
  return (await readMarker(managed)) === null ? [] : [managed.bin, managed.goBin];
}
