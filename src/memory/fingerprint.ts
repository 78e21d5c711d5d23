import path from "node:path";
import type { ToolOverride } from "../config/types.js";
import type { ToolWork } from "../plan/distribute.js";
import { filesForTool } from "../scan/prepare-tools.js";
import type { ToolAdapter } from "../tools/adapter.js";
import type { ContentHasher } from "./hasher.js";
import { importClosures } from "./python-imports.js";
import { sha256 } from "./key.js";
import { installedDistributions } from "../tools/python-environment.js";
import type { MemoryTool } from "./recall.js";

// Stands in for the per-task temp directory in arguments, so keys do not change from run to run.
const TASK_DIR_PLACEHOLDER = "<task-dir>";

/**
 * What the memory cache needs to know about a tool run: its fingerprint (version, resolved arguments, the
 * content of its config files) and, for type-aware tools, which project files each file imports.
 */
export async function memoryToolOf(
  work: ToolWork,
  adapter: ToolAdapter,
  version: string,
  override: ToolOverride,
  projectFiles: readonly string[],
  hasher: ContentHasher,
): Promise<MemoryTool> {
  const configs = projectFiles.filter((file) => adapter.configFiles.includes(path.posix.basename(file)));
  const typeAware = adapter.resultsDependOn === "imports";
  // mypy (under refurb) reads installed packages too: upgrading one can change findings in the project.
  const distributions = typeAware ? await installedDistributions(work.executable) : null;
  return {
    work,
    fingerprint: {
      tool: adapter.name,
      toolVersion: version,
      args: adapter.buildArgs([], { taskDir: TASK_DIR_PLACEHOLDER, userArgs: override.args ?? [] }),
      configFiles: await hasher.hashAll(configs),
      environment: distributions === null ? null : sha256(distributions.join("\n")),
    },
    dependencies:
      typeAware ? await importClosures(filesForTool(adapter, override, projectFiles), (file) => hasher.read(file)) : new Map(),
  };
}
