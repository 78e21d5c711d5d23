import type { PoolScanningConfig } from "../config/schema.js";
import { UserError } from "../core/errors.js";
import type { ToolName } from "../core/tool-name.js";
import { BUILTIN_TOOL_NAMES, builtinTool } from "../tools/registry.js";
import type { EnvSkips } from "./env-skips.js";

/** What was asked of a scan's tools, besides the config: `--tools`, `--skip-tools`, SKIP and JACKPOOL_SKIP. */
export interface ToolRequest {
  tools?: readonly string[];
  skipTools?: readonly string[];
  skips: Pick<EnvSkips, "shared" | "own">;
}

/** The tools a scan runs, and those the environment skips (with the note the report shows for each). */
export interface ChosenTools {
  names: ToolName[];
  skipped: Map<ToolName, string>;
}

/** Every tool a configuration knows: the built-in ones, then the ones it declares. */
export function knownTools(config: PoolScanningConfig): ToolName[] {
  return [...BUILTIN_TOOL_NAMES, ...Object.keys(config.tools).filter((name) => builtinTool(name) === undefined)];
}

/**
 * The tools a scan runs: `--tools` if given, else `pooled_tools` + `local_tools` and the tools the config declares
 * (declaring one is asking for it); minus tools disabled in config and `--skip-tools`. SKIP and JACKPOOL_SKIP leave
 * tools in, to be reported as skipped.
 */
export function chooseTools(config: PoolScanningConfig, request: ToolRequest): ChosenTools {
  const known = knownTools(config);
  const check = (flag: string, names: readonly string[]): ToolName[] =>
    names.map((name) => {
      if (!known.includes(name)) throw new UserError(`${flag}: unknown tool "${name}" (known tools: ${known.join(", ")})`);
      return name;
    });
  const skip = new Set(check("--skip-tools", request.skipTools ?? []));
  const declared = known.filter((name) => builtinTool(name) === undefined);
  const wanted = request.tools
    ? check("--tools", request.tools)
    : [...config.pooled_tools, ...config.local_tools, ...declared].filter((tool) => config.tools[tool]?.enabled !== false);
  const names = [...new Set(wanted)].filter((tool) => !skip.has(tool));
  const skipped = new Map<ToolName, string>();
  for (const name of request.skips.shared) if (known.includes(name)) skipped.set(name, "skipped by SKIP");
  for (const name of check("JACKPOOL_SKIP", request.skips.own)) skipped.set(name, "skipped by JACKPOOL_SKIP");
  return { names, skipped };
}
