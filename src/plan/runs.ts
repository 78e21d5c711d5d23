import ignore from "ignore";
import type { Tool, ToolOverride } from "../tools/tool.js";

/** The files among `files` that a tool takes: its include patterns (or the override's), minus the override's excludes. */
export function filesForTool(tool: Tool, override: ToolOverride, files: readonly string[]): string[] {
  const include = ignore().add([...(override.include ?? tool.spec.include)]);
  const exclude = ignore().add([...(override.exclude ?? [])]);
  return files.filter((file) => include.ignores(file) && !exclude.ignores(file));
}

/** One run of a tool: its arguments, the settings files they name, and the files it checks. */
export interface ToolRunPlan {
  userArgs: string[];
  inputs: Record<string, string>;
  files: string[];
  pythonEnvironment?: string;
}

/**
 * The runs a tool makes over its `files`: one per entry of its own settings (semgrep's rules, each
 * check-jsonschema schema with the files it validates), or one plain run. Runs with no files are left out.
 * `root` holds the bytes scanned; `projectRoot` is the project, when that is elsewhere (--staged).
 */
export async function toolRuns(
  tool: Tool,
  override: ToolOverride,
  root: string,
  files: readonly string[],
  projectRoot = root,
): Promise<ToolRunPlan[]> {
  const settings = tool.driver.runs ? await tool.driver.runs(override, root, projectRoot) : [{ args: [], inputs: {} }];
  const runs = settings.map((entry): ToolRunPlan => {
    const only = entry.files ? ignore().add(entry.files) : null;
    return {
      userArgs: [...entry.args, ...(override.args ?? [])],
      inputs: entry.inputs,
      files: only ? files.filter((file) => only.ignores(file)) : [...files],
      ...(entry.pythonEnvironment === undefined ? {} : { pythonEnvironment: entry.pythonEnvironment }),
    };
  });
  return runs.filter((run) => run.files.length > 0);
}
