import type { PoolScanningConfig } from "../config/schema.js";
import type { ToolScope } from "../tools/tool.js";
import { locateExecutable, searchDirs, toolVersion } from "../toolchain/locate.js";
import type { ToolName } from "../core/tool-name.js";
import { toolNamed } from "../tools/registry.js";
import type { ToolSource } from "../toolchain/tool-sources.js";

/** One row of `jackpool tools list`. */
export interface ToolRow {
  tool: ToolName;
  found: boolean;
  /** Which place it was found in, by the configured resolution order. */
  source: ToolSource | null;
  path: string | null;
  version: string | null;
  scope: ToolScope | null;
  /** Which list of the config names it: pooled_tools or local_tools (a declared tool in neither runs locally). */
  placement: "pooled" | "local";
  enabled: boolean;
  /** Why something is missing: no adapter yet, or the version query failed. */
  note: string | null;
}

/**
 * Every tool the config names (pooled, then local, then the ones it declares), where the configured resolution order
 * finds it, and its version.
 */
export async function toolInventory(config: PoolScanningConfig, root: string, signal: AbortSignal): Promise<ToolRow[]> {
  const dirs = await searchDirs(config.tool_resolution, root);
  const names = [
    ...new Set([
      ...config.pooled_tools,
      ...config.local_tools,
      ...Object.keys(config.tools).filter((name) => "command" in config.tools[name]!),
    ]),
  ];
  return Promise.all(
    names.map(async (tool): Promise<ToolRow> => {
      const adapter = toolNamed(tool, config.tools);
      const located = await locateExecutable(adapter?.spec.executable ?? tool, dirs);
      const version = adapter && located ? await toolVersion(adapter, located.path, signal) : null;
      return {
        tool,
        found: located !== null,
        source: located?.source ?? null,
        path: located?.path ?? null,
        version: version !== null && "version" in version ? version.version : null,
        scope: adapter?.spec.scope ?? null,
        placement: config.pooled_tools.includes(tool) ? "pooled" : "local",
        enabled: config.tools[tool]?.enabled !== false,
        note: adapter === undefined ? "no adapter yet" : version !== null && "error" in version ? version.error : null,
      };
    }),
  );
}
