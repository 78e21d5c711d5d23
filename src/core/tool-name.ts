/** Every tool the scanning plan names; the adapters are in tools/registry.ts. */
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

/**
 * Tools jackpool drives beyond the plan's ten. pyright is an alternative to mypy, so no default list names it:
 * it runs only when `pooled_tools`/`local_tools` or `--tools` name it.
 */
export const EXTRA_TOOLS = ["pyright"] as const;

/** Every tool name jackpool knows: the plan's, then the extra ones. */
export const TOOL_NAMES = [...PLANNED_TOOLS, ...EXTRA_TOOLS] as const;

/** A tool name jackpool knows. */
export type ToolName = (typeof TOOL_NAMES)[number];

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
  pyright: "https://microsoft.github.io/pyright/",
};

/** Narrows a string to a tool name jackpool knows. */
export function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(name);
}
