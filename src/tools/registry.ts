import type { Task } from "../core/task.js";
import type { ToolName } from "../core/tool-name.js";
import { BUILTIN_TOOLS } from "./builtin/index.generated.js";
import { declaredTool } from "./declared.js";
import type { DefaultPlacement, Tool, ToolClass, ToolOverride } from "./tool.js";

export { BUILTIN_TOOLS };

/** Every built-in tool's name, in registry order (the order of their files). */
export const BUILTIN_TOOL_NAMES: readonly ToolName[] = BUILTIN_TOOLS.map((tool) => tool.spec.name);

const BY_NAME: ReadonlyMap<ToolName, Tool> = new Map(BUILTIN_TOOLS.map((tool) => [tool.spec.name, tool]));

/** The built-in tool of this name, or undefined (a tool declared in config, or none at all). */
export function builtinTool(name: ToolName): Tool | undefined {
  return BY_NAME.get(name);
}

/** The built-in tools a default configuration lists in `pooled_tools` or `local_tools`. */
export function defaultTools(placement: Exclude<DefaultPlacement, "opt-in">): ToolName[] {
  return BUILTIN_TOOLS.filter((tool) => tool.spec.placement === placement).map((tool) => tool.spec.name);
}

/** The routing class of each built-in tool (the plan's TOOL_WORKER_MAP). */
export function toolClassOf(name: ToolName): ToolClass | undefined {
  return BY_NAME.get(name)?.spec.class;
}

/**
 * The tool of this name: a built-in one, or one the config declares (`declarations` is its `tools` section, each
 * entry already checked); undefined when there is neither.
 */
export function toolNamed(
  name: ToolName,
  declarations: Readonly<Record<string, ToolOverride | Readonly<Record<string, unknown>>>>,
): Tool | undefined {
  const builtin = BY_NAME.get(name);
  if (builtin) return builtin;
  const declaration = declarations[name];
  return declaration === undefined ? undefined : declaredTool(name, declaration);
}

/** The tool a task runs: its declaration travels with it, so any worker drives it as the scan does. */
export function toolOfTask(task: Pick<Task, "tool" | "declaration">): Tool | undefined {
  return toolNamed(task.tool, task.declaration ? { [task.tool]: task.declaration } : {});
}
