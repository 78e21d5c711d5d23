import type { ToolAdapter } from "./tool.js";
import { checkJsonschema } from "./check-jsonschema.js";
import { codespell } from "./codespell.js";
import { complexipy } from "./complexipy.js";
import { gitleaks } from "./gitleaks.js";
import { mypy } from "./mypy.js";
import type { ToolName } from "../core/tool-name.js";
import { pyright } from "./pyright.js";
import { refurb } from "./refurb.js";
import { ruff } from "./ruff.js";
import { semgrep } from "./semgrep.js";
import { skylos } from "./skylos.js";
import { vulture } from "./vulture.js";

/** The tools jackpool can drive. */
export const ADAPTERS: Partial<Record<ToolName, ToolAdapter>> = {
  ruff,
  refurb,
  complexipy,
  vulture,
  codespell,
  mypy,
  skylos,
  semgrep,
  gitleaks,
  "check-jsonschema": checkJsonschema,
  pyright,
};

/** The adapter for a tool name, or undefined when jackpool cannot drive that tool yet. */
export function adapterFor(name: ToolName): ToolAdapter | undefined {
  return ADAPTERS[name];
}
