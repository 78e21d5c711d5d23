import type { ToolName } from "../core/tool-name.js";

/** What the SKIP and JACKPOOL_SKIP environment variables ask a scan to leave out. */
export interface EnvSkips {
  /** `SKIP=jackpool`: the whole scan is skipped. */
  wholeScan: boolean;
  /** SKIP's names: pre-commit's, shared with other hooks, so the ones that are not tools of the scan are ignored. */
  shared: ToolName[];
  /** JACKPOOL_SKIP's names: jackpool's alone, so every one must be a tool of the scan (plan/choose.ts checks). */
  own: ToolName[];
}

function names(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}

/** Reads SKIP (pre-commit's convention) and JACKPOOL_SKIP. */
export function envSkips(env: NodeJS.ProcessEnv): EnvSkips {
  const shared = names(env.SKIP);
  return { wholeScan: shared.includes("jackpool"), shared, own: names(env.JACKPOOL_SKIP) };
}
