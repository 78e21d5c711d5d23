import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** How many recent scans `jackpool cache stats` averages over. */
const KEPT_RUNS = 20;

/** One scan's use of the memory cache. */
export interface RunStats {
  at: string;
  hits: number;
  misses: number;
}

function logFile(root: string): string {
  return path.join(root, ".crackerjack", "runs.json");
}

/** The last scans' cache use, newest last; empty when none was recorded or the log is unreadable. */
export async function recentRuns(root: string): Promise<RunStats[]> {
  try {
    const runs: unknown = JSON.parse(await readFile(logFile(root), "utf8"));
    return Array.isArray(runs) ? (runs as RunStats[]) : [];
  } catch {
    return [];
  }
}

/** Appends a scan's hits and misses, keeping the last few; written atomically so concurrent scans never corrupt it. */
export async function recordRun(root: string, hits: number, misses: number): Promise<void> {
  const runs = [...(await recentRuns(root)), { at: new Date().toISOString(), hits, misses }].slice(-KEPT_RUNS);
  const file = logFile(root);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(path.join(path.dirname(file), ".gitignore"), "*\n");
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(runs));
  await rename(temporary, file);
}
