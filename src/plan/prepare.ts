import type { PoolScanningConfig } from "../config/schema.js";
import type { Program } from "../core/task.js";
import type { ToolName } from "../core/tool-name.js";
import type { ToolStatus } from "../core/tool-status.js";
import { installHint } from "../toolchain/install-hint.js";
import { jackpoolLock } from "../toolchain/lock.js";
import { locateExecutable, searchDirs, toolVersion } from "../toolchain/locate.js";
import { pinnedTools } from "../toolchain/pinned-tools.js";
import { SOURCE_NAMES, type ToolSource } from "../toolchain/tool-sources.js";
import type { VersionCache } from "../toolchain/version-cache.js";
import { toolNamed } from "../tools/registry.js";
import type { Tool, ToolOverride } from "../tools/tool.js";

/**
 * A tool chosen for this scan: ready to run, with how it runs and its version (null for a tool declared without a
 * `version_command`: its results are then never remembered), or with the reason it gets no tasks.
 */
export type PreparedTool =
  | { kind: "ready"; name: ToolName; override: ToolOverride; tool: Tool; program: Program; version: string | null }
  | { kind: "preempted"; name: ToolName; override: ToolOverride; status: ToolStatus; note: string; version: string | null };

/** Why a tool cannot run: where jackpool looked, and the commands that install it (`tools install` only for the tools it pins). */
function notInstalledNote(tool: Tool, order: readonly ToolSource[]): string {
  const places = order.map((source) => SOURCE_NAMES[source]).join(", ");
  const lock = jackpoolLock();
  const hint = installHint(tool, lock);
  const managed = pinnedTools(lock).some((pinned) => pinned.name === tool.spec.name);
  return `${tool.spec.executable} not found in ${places}; install it with: ${managed ? `jackpool tools install (or ${hint})` : hint}`;
}

/** Finds one tool's executable and version, or why it cannot run. */
async function prepareTool(
  name: ToolName,
  config: PoolScanningConfig,
  dirs: Awaited<ReturnType<typeof searchDirs>>,
  versions: VersionCache | null,
  signal: AbortSignal,
): Promise<PreparedTool> {
  const override = config.tools[name] ?? {};
  const tool = toolNamed(name, config.tools);
  // Names were checked when chosen: a tool that vanished since is a bug, said plainly rather than thrown.
  if (!tool) return { kind: "preempted", name, override, status: "unsupported", note: `jackpool knows no tool ${name}`, version: null };
  const located = await locateExecutable(tool.spec.executable, dirs);
  if (located === null && tool.driver.embedded) {
    return { kind: "ready", name, override, tool, program: { kind: "embedded" }, version: tool.driver.embedded.version };
  }
  if (located === null)
    return {
      kind: "preempted",
      name,
      override,
      status: "not-installed",
      note: notInstalledNote(tool, config.tool_resolution),
      version: null,
    };
  const program = { kind: "process" as const, executable: located.path };
  // A declared tool that says no version_command has none to ask for.
  if (tool.spec.package === null && tool.driver.versionArgs.length === 0)
    return { kind: "ready", name, override, tool, program, version: null };
  const probe = () => toolVersion(tool, located.path, signal);
  const version = versions ? await versions.version(located.path, probe) : await probe();
  if ("error" in version) return { kind: "preempted", name, override, status: "error", note: version.error, version: null };
  return { kind: "ready", name, override, tool, program, version: version.version };
}

/**
 * Finds each tool's executable and version, all tools at once; `versions` remembers versions of unchanged installs
 * (null: ask every tool). Tools in `skipped` (SKIP, JACKPOOL_SKIP) are not looked for: the report lists them as
 * skipped, with the note given. Aborting `signal` kills the version probes still running.
 */
export async function prepareTools(
  names: readonly ToolName[],
  config: PoolScanningConfig,
  root: string,
  versions: VersionCache | null,
  skipped: ReadonlyMap<ToolName, string>,
  signal: AbortSignal,
): Promise<PreparedTool[]> {
  const dirs = await searchDirs(config.tool_resolution, root);
  const prepared = await Promise.all(
    names.map((name): Promise<PreparedTool> => {
      const note = skipped.get(name);
      if (note !== undefined)
        return Promise.resolve({ kind: "preempted", name, override: config.tools[name] ?? {}, status: "skipped", note, version: null });
      return prepareTool(name, config, dirs, versions, signal);
    }),
  );
  await versions?.save();
  return prepared;
}
