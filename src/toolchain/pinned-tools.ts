import { PLANNED_TOOLS, type ToolName } from "../core/tool-name.js";
import { adapterFor } from "../tools/registry.js";
import { normalizedName, type Pin, type ToolLock } from "./lock.js";

/** A tool the managed environment provides (as opposed to a dependency of one). */
export interface PinnedTool {
  name: string;
  version: string;
  /** The executable's file name in the environment's bin. */
  executable: string;
  via: "pip" | "go";
}

/** The planned tools among the lock's pins, with their executables; the Go tools after the Python ones. */
export function pinnedTools(lock: ToolLock): PinnedTool[] {
  const byName = new Map(lock.python.map((pin) => [normalizedName(pin.name), pin]));
  const python = PLANNED_TOOLS.flatMap((tool: ToolName): PinnedTool[] => {
    const pin = byName.get(normalizedName(tool));
    return pin ? [{ name: tool, version: pin.version, executable: adapterFor(tool)?.executable ?? tool, via: "pip" }] : [];
  });
  const go = lock.go.map((tool): PinnedTool => ({ name: tool.name, version: tool.version.replace(/^v/, ""), executable: tool.name, via: "go" }));
  return [...python, ...go];
}

/** The pins that are only there because a tool needs them. */
export function dependencyPins(lock: ToolLock): Pin[] {
  const tools = new Set(pinnedTools(lock).map((tool) => normalizedName(tool.name)));
  return lock.python.filter((pin) => !tools.has(normalizedName(pin.name)));
}
