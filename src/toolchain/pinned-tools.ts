import { BUILTIN_TOOLS } from "../tools/registry.js";
import { normalizedName, type Pin, type ToolLock } from "./lock.js";

/** A tool the managed environment provides (as opposed to a dependency of one). */
export interface PinnedTool {
  name: string;
  version: string;
  /** The executable's file name in the environment's bin. */
  executable: string;
  via: "pip" | "go";
}

/** The built-in tools the lock pins, with their executables; the Go tools after the Python ones. */
export function pinnedTools(lock: ToolLock): PinnedTool[] {
  const byName = new Map(lock.python.map((pin) => [normalizedName(pin.name), pin]));
  const python = BUILTIN_TOOLS.flatMap(({ spec }): PinnedTool[] => {
    const pin = spec.package?.via === "pip" ? byName.get(normalizedName(spec.package.name)) : undefined;
    return pin ? [{ name: spec.name, version: pin.version, executable: spec.executable, via: "pip" }] : [];
  });
  const go = lock.go.map((tool): PinnedTool => ({
    name: tool.name,
    version: tool.version.replace(/^v/, ""),
    executable: tool.name,
    via: "go",
  }));
  return [...python, ...go];
}

/** The pins that are only there because a tool needs them. */
export function dependencyPins(lock: ToolLock): Pin[] {
  const tools = new Set(pinnedTools(lock).map((tool) => normalizedName(tool.name)));
  return lock.python.filter((pin) => !tools.has(normalizedName(pin.name)));
}
