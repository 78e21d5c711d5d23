import type { ToolAdapter } from "./adapter.js";
import { codespell } from "./codespell.js";
import { complexipy } from "./complexipy.js";
import type { ToolName } from "./names.js";
import { refurb } from "./refurb.js";
import { ruff } from "./ruff.js";
import { vulture } from "./vulture.js";

/** The tools jackpool can drive today; the rest of the plan's tools have no adapter yet. */
export const ADAPTERS: Partial<Record<ToolName, ToolAdapter>> = { ruff, refurb, complexipy, vulture, codespell };

/** The adapter for a tool name, or undefined when jackpool cannot drive that tool yet. */
export function adapterFor(name: ToolName): ToolAdapter | undefined {
  return ADAPTERS[name];
}
