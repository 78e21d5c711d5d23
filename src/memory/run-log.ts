import { readProjectState, writeProjectState } from "../state/project-state.js";

/** How many recent scans `jackpool cache stats` averages over. */
const KEPT_RUNS = 20;
const LOG = "runs.json";

/** One scan's use of the memory cache. */
export interface RunStats {
  at: string;
  hits: number;
  misses: number;
}

/** The last scans' cache use, newest last; empty when none was recorded or the log is unreadable. */
export async function recentRuns(root: string): Promise<RunStats[]> {
  const runs = await readProjectState(root, LOG);
  return Array.isArray(runs) ? (runs as RunStats[]) : [];
}

/** Appends a scan's hits and misses, keeping the last few. */
export async function recordRun(root: string, hits: number, misses: number): Promise<boolean> {
  const runs = [...(await recentRuns(root)), { at: new Date().toISOString(), hits, misses }].slice(-KEPT_RUNS);
  return writeProjectState(root, LOG, runs);
}
