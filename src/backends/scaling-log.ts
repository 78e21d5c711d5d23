import { readProjectState, writeProjectState } from "../state/project-state.js";
import type { ScalingDecision } from "./autoscaler.js";

const FILE = "autoscaling.json";

/** The autoscaling decisions of a project's last scan, for `jackpool pools status`. */
export interface ScalingLog {
  /** ISO time the scan ended. */
  scan: string;
  decisions: ScalingDecision[];
}

/** Records the last scan's decisions in `.crackerjack/`; never fatal. */
export async function recordScaling(root: string, decisions: readonly ScalingDecision[]): Promise<void> {
  await writeProjectState(root, FILE, { scan: new Date().toISOString(), decisions: [...decisions] } satisfies ScalingLog);
}

/** The last scan's decisions, or undefined when no scan recorded any. */
export async function lastScaling(root: string): Promise<ScalingLog | undefined> {
  const log = await readProjectState(root, FILE);
  const valid = typeof log === "object" && log !== null && "scan" in log && "decisions" in log && Array.isArray(log.decisions);
  return valid ? (log as ScalingLog) : undefined;
}
