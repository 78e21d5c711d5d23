/** The places a tool's executable can come from; `pool_scanning.tool_resolution` orders them. */
export const TOOL_SOURCES = ["managed", "project", "path"] as const;

/** One place a tool can come from. */
export type ToolSource = (typeof TOOL_SOURCES)[number];

/** How messages name each place. */
export const SOURCE_NAMES: Readonly<Record<ToolSource, string>> = { managed: "managed environment", project: ".venv/bin", path: "PATH" };
