/**
 * A tool's name: a built-in tool's (tools/registry.ts lists them) or one the project declares under
 * `pool_scanning.tools` (tools/declared.ts). Names are checked where they come in: config, `--tools`, SKIP.
 */
export type ToolName = string;
