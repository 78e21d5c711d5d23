import { TOOL_NAMES, isToolName, type ToolName } from "../core/tool-name.js";
import { UserError } from "../core/user-error.js";

/** What the SKIP and JACKPOOL_SKIP environment variables ask a scan to leave out. */
export interface EnvSkips {
  /** `SKIP=jackpool`: the whole scan is skipped. */
  wholeScan: boolean;
  /** Tools to leave out, each with the note the report shows for it. */
  tools: Map<ToolName, string>;
}

function names(value: string | undefined): string[] {
  return (value ?? "").split(",").map((name) => name.trim()).filter(Boolean);
}

/**
 * Reads SKIP (pre-commit's convention) and JACKPOOL_SKIP. SKIP also holds the ids of other pre-commit hooks, so
 * names that are not jackpool's tools are ignored there; JACKPOOL_SKIP is jackpool's alone, so an unknown tool in
 * it is an error.
 */
export function envSkips(env: NodeJS.ProcessEnv): EnvSkips {
  const tools = new Map<ToolName, string>();
  const skip = names(env.SKIP);
  for (const name of skip) if (isToolName(name)) tools.set(name, "skipped by SKIP");
  for (const name of names(env.JACKPOOL_SKIP)) {
    if (!isToolName(name)) throw new UserError(`JACKPOOL_SKIP: unknown tool "${name}" (known tools: ${TOOL_NAMES.join(", ")})`);
    tools.set(name, "skipped by JACKPOOL_SKIP");
  }
  return { wholeScan: skip.includes("jackpool"), tools };
}
