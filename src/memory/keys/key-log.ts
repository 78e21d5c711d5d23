import type { ToolName } from "../../core/tool-name.js";
import { readProjectState, writeProjectState } from "../../state/project-state.js";
import type { ImportComponents } from "./import-components.js";
import { emptyHistory, withGeneration, type ImportHistory } from "./import-history.js";
import { shortHash, type ToolFingerprint } from "./key.js";

/** What went into one stored result's key, kept so a later miss can say what changed since. */
export interface KeyInputs {
  toolVersion: string;
  args: readonly string[];
  /** path → short content hash. */
  configFiles: Record<string, string>;
  environment: string | null;
  /** The file the result is for and its short hash; null for a whole-project result. */
  file: readonly [string, string] | null;
  /** path → short content hash of the other files a whole-project result covers. */
  inputs: Record<string, string>;
  /** The short digest of the file's import component, for tools whose results depend on imports; else null. */
  imports: string | null;
}

/** A logged result's key inputs; with an `imports` digest, also the generation of the import history it was made in. */
export interface LoggedKeyInputs extends KeyInputs {
  generation?: number;
}

/** What one tool's log holds. */
export interface KeyLog {
  /** By subject (the result's file, or "" for a whole-project result): its last stored key's inputs. */
  results: Map<string, LoggedKeyInputs>;
  /** The import graphs those results were keyed on; empty for tools whose results do not depend on imports. */
  imports: ImportHistory;
}

// Bumped when the log's shape changes: a log of another shape reads as empty.
const LOG_FORMAT = 3;

function shortAll(hashes: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries([...hashes].map(([file, hash]) => [file, shortHash(hash)]));
}

/** The key inputs of one result: the tool's fingerprint and the content it covered. */
export function keyInputsOf(
  fingerprint: ToolFingerprint,
  file: readonly [string, string] | null,
  inputs: ReadonlyMap<string, string>,
  imports: string | null,
): KeyInputs {
  return {
    toolVersion: fingerprint.toolVersion,
    args: fingerprint.args,
    configFiles: shortAll(fingerprint.configFiles),
    environment: fingerprint.environment === null ? null : shortHash(fingerprint.environment),
    file: file === null ? null : [file[0], shortHash(file[1])],
    inputs: shortAll(inputs),
    imports: imports === null ? null : shortHash(imports),
  };
}

function logName(tool: ToolName): string {
  return `keys-${tool}.json`;
}

interface SavedKeyLog {
  format: typeof LOG_FORMAT;
  results: Record<string, LoggedKeyInputs>;
  imports: ImportHistory;
}

/** The key inputs of the results last stored for `tool` in this project (empty when none are on record). */
export async function readKeyLog(root: string, tool: ToolName): Promise<KeyLog> {
  const saved = (await readProjectState(root, logName(tool))) as Partial<SavedKeyLog> | null;
  if (saved?.format !== LOG_FORMAT) return { results: new Map(), imports: emptyHistory() };
  return { results: new Map(Object.entries(saved.results ?? {})), imports: saved.imports ?? emptyHistory() };
}

/**
 * The log's import history with `components` as its next generation, and the results' generations moved on:
 * a result whose component digest is still the current one was keyed on the same closure, so the new
 * generation describes it; results of files no longer in the graph go. Only the generations of results keyed
 * on older closures keep older versions alive.
 */
function nextHistory(log: KeyLog, components: ImportComponents): ImportHistory {
  const generation = log.imports.generation + 1;
  const live = new Set([generation]);
  for (const [subject, entry] of log.results) {
    if (entry.generation === undefined) continue;
    const component = components.componentOf(subject);
    if (component === undefined) {
      log.results.delete(subject);
      continue;
    }
    if (entry.imports === shortHash(components.digest(component))) entry.generation = generation;
    live.add(entry.generation);
  }
  return withGeneration(log.imports, components, [...live]);
}

/** A result just stored, as the key log records it. */
export interface StoredResult {
  tool: ToolName;
  /** null for a whole-project result. */
  file: string | null;
  keyInputs: KeyInputs;
  /** For a result keyed on its file's import component: the project's import graph. */
  imports?: { components: ImportComponents };
}

/** Records the key inputs of newly stored results over what each tool's log held: one write per tool. */
export async function updateKeyLogs(root: string, stored: readonly StoredResult[]): Promise<void> {
  const byTool = new Map<ToolName, StoredResult[]>();
  for (const result of stored) byTool.set(result.tool, [...(byTool.get(result.tool) ?? []), result]);
  for (const [tool, results] of byTool) {
    const log = await readKeyLog(root, tool);
    const generation = log.imports.generation + 1;
    for (const { file, keyInputs, imports } of results) log.results.set(file ?? "", imports ? { ...keyInputs, generation } : keyInputs);
    const components = results.find((result) => result.imports)?.imports?.components;
    const imports = components ? nextHistory(log, components) : log.imports;
    const saved: SavedKeyLog = { format: LOG_FORMAT, results: Object.fromEntries(log.results), imports };
    await writeProjectState(root, logName(tool), saved);
  }
}

function changedPaths(before: Record<string, string>, after: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...paths].filter((file) => before[file] !== after[file]).sort();
}

function listed(paths: readonly string[], limit = 3): string {
  return paths.length <= limit ? paths.join(", ") : `${paths.slice(0, limit).join(", ")} and ${paths.length - limit} more`;
}

/**
 * Why a result is not in memory, compared with what the last stored result for the same subject was keyed on.
 * `changedImports` names the imported files that changed since `previous` was keyed (asked only when its
 * import digest differs).
 */
export function whatChanged(
  previous: LoggedKeyInputs | undefined,
  now: KeyInputs,
  changedImports: (previous: LoggedKeyInputs) => string[],
): string {
  if (previous === undefined) return "no earlier result on record for this file and tool";
  const reasons: string[] = [];
  if (previous.toolVersion !== now.toolVersion) reasons.push(`tool version ${previous.toolVersion} → ${now.toolVersion}`);
  if (JSON.stringify(previous.args) !== JSON.stringify(now.args)) reasons.push("arguments changed");
  const configs = changedPaths(previous.configFiles, now.configFiles);
  if (configs.length > 0) reasons.push(`config changed: ${listed(configs)}`);
  if (previous.environment !== now.environment) reasons.push("installed packages changed");
  if (previous.file?.[1] !== now.file?.[1]) reasons.push("file changed");
  const inputs = changedPaths(previous.inputs, now.inputs);
  if (inputs.length > 0) reasons.push(`files changed: ${listed(inputs)}`);
  const imports = previous.imports === now.imports ? [] : changedImports(previous);
  if (imports.length > 0) reasons.push(`imported files changed: ${listed(imports)}`);
  return reasons.length > 0
    ? reasons.join("; ")
    : "same inputs as the last stored result, which memory no longer holds: expired or cleared";
}
