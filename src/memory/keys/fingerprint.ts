import { readFile } from "node:fs/promises";
import path from "node:path";

import type { ToolWork } from "../../plan/work.js";
import { filesForTool } from "../../plan/runs.js";
import type { Tool, ToolOverride } from "../../tools/tool.js";
import type { ContentHasher } from "./hasher.js";
import { ImportComponents } from "./import-components.js";
import { interfaceDigests, type InterfaceSettings } from "./interface-digests.js";
import { ImportReferences } from "./import-references.js";
import { importGraph } from "./python-imports.js";
import { sha256 } from "../../files/content.js";
import { installedDistributions, venvDistributions } from "../../tools/python/environment.js";
import type { ToolFingerprint } from "./key.js";

// Stands in for the per-task temp directory in arguments, so keys do not change from run to run.
const TASK_DIR_PLACEHOLDER = "<task-dir>";

/** A tool about to run, with what its results depend on. */
export interface MemoryTool {
  work: ToolWork;
  fingerprint: ToolFingerprint;
  /** For a tool whose findings depend on what a file imports, the project's import graph; null for the others. */
  imports: ImportComponents | null;
}

/** The executable a run starts; an embedded tool (no process, no Python) has none to read packages or digests from. */
function executableOf(work: ToolWork): string {
  return work.program.kind === "process" ? work.program.executable : "";
}

/** A settings file's content hash; a missing file hashes as "missing", so creating it changes the key. */
async function contentHash(file: string): Promise<string> {
  try {
    return sha256(await readFile(file));
  } catch {
    return "missing";
  }
}

/**
 * What the memory cache needs to know about a tool run: its fingerprint (version, resolved arguments, the
 * content of its config files) and, for type-aware tools, the project's import graph with its component digests
 * over the interfaces of imported files (computed as `interfaces` says).
 */
export async function memoryToolOf(
  work: ToolWork,
  tool: Tool,
  version: string,
  override: ToolOverride,
  projectFiles: readonly string[],
  hasher: ContentHasher,
  interfaces: InterfaceSettings,
): Promise<MemoryTool> {
  const configs = projectFiles.filter((file) => tool.spec.configFiles.includes(path.posix.basename(file)));
  const configFiles = await hasher.hashAll(configs);
  // Tools read their configuration at the project's top whether git tracks it or not: a new, untracked mypy.ini
  // counts, and so does its absence.
  for (const name of tool.spec.configFiles) if (!configFiles.has(name)) configFiles.set(name, (await hasher.hash(name)) ?? "missing");
  // Rule files and schemas named in the tool's settings count like config files.
  // Their paths in arguments become their labels: where jackpool is installed must not change keys.
  const labels = new Map<string, string>();
  for (const [label, file] of Object.entries(work.inputs ?? {})) {
    configFiles.set(label, await contentHash(file));
    labels.set(file, label);
  }
  const typeAware = tool.spec.resultsDependOn === "imports";
  // Type checkers (mypy, also under refurb; pyright in the project's .venv) read installed packages too: upgrading
  // one can change findings in the project.
  const distributions = !tool.spec.readsInstalledPackages
    ? null
    : work.pythonEnvironment === undefined
      ? await installedDistributions(executableOf(work))
      : await venvDistributions(work.pythonEnvironment);
  return {
    work,
    fingerprint: {
      tool: tool.spec.name,
      toolVersion: version,
      args: tool.driver.buildArgs([], { taskDir: TASK_DIR_PLACEHOLDER, userArgs: work.userArgs }).map((arg) => labels.get(arg) ?? arg),
      configFiles,
      environment: distributions === null ? null : sha256(distributions.join("\n")),
    },
    imports: typeAware ? await importComponents(filesForTool(tool, override, projectFiles), executableOf(work), hasher, interfaces) : null,
  };
}

/** The import graph of `files`, condensed and digested over the interfaces of imported files. */
async function importComponents(
  files: readonly string[],
  executable: string,
  hasher: ContentHasher,
  interfaces: InterfaceSettings,
): Promise<ImportComponents> {
  const references = await ImportReferences.open(interfaces.root);
  const graph = await importGraph(files, (file) => references.of(file, hasher));
  await references.save();
  return ImportComponents.of(
    graph,
    (file) => hasher.hash(file),
    (imported) => interfaceDigests(imported, executable, interfaces),
  );
}
