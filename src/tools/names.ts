/** Every tool the scanning plan names; the ones with an adapter are in tools/registry.ts. */
export const PLANNED_TOOLS = [
  "ruff",
  "refurb",
  "complexipy",
  "skylos",
  "vulture",
  "semgrep",
  "gitleaks",
  "mypy",
  "codespell",
  "check-jsonschema",
] as const;

/** A tool name from the plan. */
export type ToolName = (typeof PLANNED_TOOLS)[number];

/** Narrows a string to a planned tool name. */
export function isPlannedTool(name: string): name is ToolName {
  return (PLANNED_TOOLS as readonly string[]).includes(name);
}
