import type { PoolScanningConfig } from "../config/schema.js";
import type { Route } from "../core/route.js";
import type { ToolName } from "../core/tool-name.js";
import { toolNamed } from "../tools/registry.js";

/**
 * The plan's PoolRouter: `pooled_tools` and `local_tools` decide first; a tool in neither follows
 * `routing.<its class>` (each tool's spec names its class: heavy_cpu, fast or security).
 */
export function routeOf(name: ToolName, config: Pick<PoolScanningConfig, "pooled_tools" | "local_tools" | "routing" | "tools">): Route {
  if (config.pooled_tools.includes(name)) return { target: "pooled", because: "pooled_tools" };
  if (config.local_tools.includes(name)) return { target: "local", because: "local_tools" };
  const toolClass = toolNamed(name, config.tools)?.spec.class ?? "fast";
  return { target: config.routing[toolClass], because: `routing.${toolClass}` };
}
