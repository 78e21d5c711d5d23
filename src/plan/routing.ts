import type { PoolScanningConfig, RouteTarget, ToolClass } from "../config/types.js";
import type { ToolName } from "../core/tool-name.js";

/**
 * The plan's PoolRouter classes (TOOL_WORKER_MAP): heavy CPU tools, fast ones, and security tools kept
 * apart. Tools the map does not name are "fast", its default.
 */
export const TOOL_CLASSES: Record<ToolName, ToolClass> = {
  refurb: "heavy_cpu",
  complexipy: "heavy_cpu",
  mypy: "fast",
  pyright: "fast",
  ruff: "fast",
  skylos: "fast",
  vulture: "fast",
  codespell: "fast",
  "check-jsonschema": "fast",
  semgrep: "security",
  gitleaks: "security",
};

/** Where one tool runs, and the config that decided it (for --verbose). */
export interface Route {
  target: RouteTarget;
  because: string;
}

/** `pooled_tools` and `local_tools` decide first; a tool in neither follows `routing.<its class>`. */
export function routeOf(tool: ToolName, config: Pick<PoolScanningConfig, "pooled_tools" | "local_tools" | "routing">): Route {
  if (config.pooled_tools.includes(tool)) return { target: "pooled", because: "pooled_tools" };
  if (config.local_tools.includes(tool)) return { target: "local", because: "local_tools" };
  const toolClass = TOOL_CLASSES[tool];
  return { target: config.routing[toolClass], because: `routing.${toolClass}` };
}
