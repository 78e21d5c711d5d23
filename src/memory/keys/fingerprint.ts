import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ToolOverride } from "../../config/types.js";
import type { ToolWork } from "../../plan/distribute.js";
import { filesForTool } from "../../plan/prepare.js";
import type { ToolAdapter } from "../../tools/tool.js";
import type { ContentHasher } from "./hasher.js";
import { ImportComponents } from "./import-components.js";
import { interfaceDigests, type InterfaceSettings } from "./interface-digests.js";
import { ImportReferences } from "./import-references.js";
import { importGraph } from "./python-imports.js";
import { sha256 } from "./key.js";
import { installedDistributions, venvDistributions } from "../../tools/python/environment.js";
import type { MemoryTool } from "../recall.js";

// Stands in for the per-task temp directory in arguments, so keys do not change from run to run.
const TASK_DIR_PLACEHOLDER = "<task-dir>";

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
  adapter: ToolAdapter,
  version: string,
  override: ToolOverride,
  projectFiles: readonly string[],
  hasher: ContentHasher,
  interfaces: InterfaceSettings,
): Promise<MemoryTool> {
  const configs = projectFiles.filter((file) => adapter.configFiles.includes(path.posix.basename(file)));
  const configFiles = await hasher.hashAll(configs);
  // Tools read their configuration at the project's top whether git tracks it or not: a new, untracked mypy.ini
  // counts, and so does its absence.
  for (const name of adapter.configFiles) if (!configFiles.has(name)) configFiles.set(name, (await hasher.hash(name)) ?? "missing");
  // Rule files and schemas named in the tool's settings count like config files.
  // Their paths in arguments become their labels: where jackpool is installed must not change keys.
  const labels = new Map<string, string>();
  for (const [label, file] of Object.entries(work.inputs ?? {})) {
    configFiles.set(label, await contentHash(file));
    labels.set(file, label);
  }
  const typeAware = adapter.resultsDependOn === "imports";
  // Type checkers (mypy, also under refurb; pyright in the project's .venv) read installed packages too: upgrading
  // one can change findings in the project.
  const distributions = !adapter.readsInstalledPackages
    ? null
    : work.pythonEnvironment === undefined
      ? await installedDistributions(work.executable)
      : await venvDistributions(work.pythonEnvironment);
  return {
    work,
    fingerprint: {
      tool: adapter.name,
      toolVersion: version,
      args: adapter.buildArgs([], { taskDir: TASK_DIR_PLACEHOLDER, userArgs: work.userArgs }).map((arg) => labels.get(arg) ?? arg),
      configFiles,
      environment: distributions === null ? null : sha256(distributions.join("\n")),
    },
    imports: typeAware ? await importComponents(filesForTool(adapter, override, projectFiles), work.executable, hasher, interfaces) : null,
  };
}

/** The import graph of `files`, condensed and digested over the interfaces of imported files. */
async function importComponents(files: readonly string[], executable: string, hasher: ContentHasher, interfaces: InterfaceSettings): Promise<ImportComponents> {
  const references = await ImportReferences.open(interfaces.root);
  const graph = await importGraph(files, (file) => references.of(file, hasher));
  await references.save();
  return ImportComponents.of(graph, (file) => hasher.hash(file), (imported) => interfaceDigests(imported, executable, interfaces));
}
