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

/** Where to read about each tool: SARIF's `informationUri`. */
export const TOOL_HOMEPAGES: Record<ToolName, string> = {
  ruff: "https://docs.astral.sh/ruff/",
  refurb: "https://github.com/dosisod/refurb",
  complexipy: "https://github.com/rohaquinlop/complexipy",
  skylos: "https://github.com/duriantaco/skylos",
  vulture: "https://github.com/jendrikseipp/vulture",
  semgrep: "https://semgrep.dev/",
  gitleaks: "https://github.com/gitleaks/gitleaks",
  mypy: "https://mypy-lang.org/",
  codespell: "https://github.com/codespell-project/codespell",
  "check-jsonschema": "https://github.com/python-jsonschema/check-jsonschema",
};

/** Narrows a string to a planned tool name. */
export function isPlannedTool(name: string): name is ToolName {
  return (PLANNED_TOOLS as readonly string[]).includes(name);
}
