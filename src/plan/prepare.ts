import ignore from "ignore";
import type { PoolScanningConfig, ToolOverride } from "../config/types.js";
import type { EmbeddedTool, ToolAdapter } from "../tools/tool.js";
import { locateExecutable, searchDirs, toolVersion } from "../toolchain/locate.js";
import { SOURCE_NAMES, type ToolSource } from "../toolchain/tool-sources.js";
import type { VersionCache } from "../toolchain/version-cache.js";
import { TOOL_NAMES, isToolName, type ToolName } from "../core/tool-name.js";
import { adapterFor } from "../tools/registry.js";
import type { ToolStatus } from "../report/report.js";
import { jackpoolLock } from "../toolchain/lock.js";
import { pinnedTools } from "../toolchain/pinned-tools.js";
import { UserError } from "../core/user-error.js";
import { JACKPOOL_VERSION } from "../self/version.js";

/** A tool chosen for this scan, ready to run or with the reason it cannot. */
export interface PreparedTool {
  name: ToolName;
  override: ToolOverride;
  adapter?: ToolAdapter;
  executable?: string;
  version: string | null;
  /** Set when the tool runs embedded in jackpool because its executable is not installed. */
  embedded?: EmbeddedTool;
  /** Set when the tool will not get tasks. */
  preempted?: { status: ToolStatus; note: string };
}

function parseToolList(flag: string, names: readonly string[]): ToolName[] {
  return names.map((name) => {
    if (!isToolName(name)) throw new UserError(`${flag}: unknown tool "${name}" (known tools: ${TOOL_NAMES.join(", ")})`);
    return name;
  });
}

/**
 * The tools a scan runs: `--tools` if given, else pooled_tools + local_tools from config; minus tools disabled in
 * config and `--skip-tools`.
 */
export function chooseTools(config: PoolScanningConfig, requested?: readonly string[], skipped: readonly string[] = []): ToolName[] {
  const skip = new Set(parseToolList("--skip-tools", skipped));
  const wanted = requested
    ? parseToolList("--tools", requested)
    : [...config.pooled_tools, ...config.local_tools].filter((tool) => config.tools[tool]?.enabled !== false);
  return [...new Set(wanted)].filter((tool) => !skip.has(tool));
}

/** Why a tool cannot run: where jackpool looked, and the commands that install it (`tools install` only for the tools it pins). */
function notInstalledNote(adapter: ToolAdapter, order: readonly ToolSource[]): string {
  const places = order.map((source) => SOURCE_NAMES[source]).join(", ");
  const managed = pinnedTools(jackpoolLock()).some((tool) => tool.name === adapter.name);
  return `${adapter.executable} not found in ${places}; install it with: ${managed ? `jackpool tools install (or ${adapter.installHint})` : adapter.installHint}`;
}

/**
 * Finds each tool's adapter, executable and version, all tools at once; `versions` remembers versions of
 * unchanged installs (null: ask every tool). Tools in `skipped` (SKIP, JACKPOOL_SKIP) are not looked for: the
 * report lists them as skipped, with the note given. Aborting `signal` kills the version probes still running.
 */
export async function prepareTools(
  names: readonly ToolName[],
  config: PoolScanningConfig,
  root: string,
  versions: VersionCache | null,
  skipped: ReadonlyMap<ToolName, string>,
  signal?: AbortSignal,
): Promise<PreparedTool[]> {
  const dirs = await searchDirs(config.tool_resolution, root);
  const prepared = await Promise.all(
    names.map(async (name): Promise<PreparedTool> => {
      const override = config.tools[name] ?? {};
      const skipNote = skipped.get(name);
      if (skipNote !== undefined) return { name, override, version: null, preempted: { status: "skipped", note: skipNote } };
      const adapter = adapterFor(name);
      if (!adapter) {
        return { name, override, version: null, preempted: { status: "unsupported", note: `no adapter in jackpool ${JACKPOOL_VERSION} yet; not run` } };
      }
      const located = await locateExecutable(adapter.executable, dirs);
      if (located === null && adapter.embedded) {
        return { name, override, adapter, executable: adapter.embedded.executable, version: adapter.embedded.version, embedded: adapter.embedded };
      }
      if (located === null) {
        return { name, override, adapter, version: null, preempted: { status: "not-installed", note: notInstalledNote(adapter, config.tool_resolution) } };
      }
      const executable = located.path;
      const probe = () => toolVersion(adapter, executable, signal);
      const version = versions ? await versions.version(executable, probe) : await probe();
      if ("error" in version) return { name, override, adapter, executable, version: null, preempted: { status: "error", note: version.error } };
      return { name, override, adapter, executable, version: version.version };
    }),
  );
  await versions?.save();
  return prepared;
}

/** The files among `files` that a tool takes: its include patterns (or the override's), minus the override's excludes. */
export function filesForTool(adapter: ToolAdapter, override: ToolOverride, files: readonly string[]): string[] {
  const include = ignore().add([...(override.include ?? adapter.include)]);
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
  adapter: ToolAdapter,
  override: ToolOverride,
  root: string,
  files: readonly string[],
  projectRoot = root,
): Promise<ToolRunPlan[]> {
  const settings = adapter.settings ? await adapter.settings(override, root, projectRoot) : [{ args: [], inputs: {} }];
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
