import type { ToolName } from "../tools/names.js";
import { readProjectState, writeProjectState } from "../project-state.js";
import type { ToolFingerprint } from "./key.js";
import type { PendingResult } from "./recall.js";

/** What went into one stored result's key, kept so a later miss can say what changed since. */
export interface KeyInputs {
  toolVersion: string;
  args: readonly string[];
  /** path → short content hash. */
  configFiles: Record<string, string>;
  environment: string | null;
  /** The file the result is for and its short hash; null for a whole-project result. */
  file: readonly [string, string] | null;
  /** path → short content hash of the other files the result depends on. */
  inputs: Record<string, string>;
}

/** The subject of a result in the log: its file, or "" for a whole-project result. */
export type KeyLog = Map<string, KeyInputs>;

// The log only explains misses; a 64-bit prefix tells contents apart well enough for that and keeps it small.
const short = (hash: string): string => hash.slice(0, 16);

function shortAll(hashes: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries([...hashes].map(([file, hash]) => [file, short(hash)]));
}

/** The key inputs of one result: the tool's fingerprint and the content it covered. */
export function keyInputsOf(fingerprint: ToolFingerprint, file: readonly [string, string] | null, inputs: ReadonlyMap<string, string>): KeyInputs {
  return {
    toolVersion: fingerprint.toolVersion,
    args: fingerprint.args,
    configFiles: shortAll(fingerprint.configFiles),
    environment: fingerprint.environment === null ? null : short(fingerprint.environment),
    file: file === null ? null : [file[0], short(file[1])],
    inputs: shortAll(inputs),
  };
}

function logName(tool: ToolName): string {
  return `keys-${tool}.json`;
}

/** The key inputs of the results last stored for `tool` in this project (empty when none are on record). */
export async function readKeyLog(root: string, tool: ToolName): Promise<KeyLog> {
  const saved = await readProjectState(root, logName(tool));
  return typeof saved === "object" && saved !== null ? new Map(Object.entries(saved as Record<string, KeyInputs>)) : new Map();
}

/** Records the key inputs of newly stored results over what each tool's log held: one write per tool. */
export async function updateKeyLogs(root: string, stored: readonly PendingResult[]): Promise<void> {
  const byTool = new Map<ToolName, PendingResult[]>();
  for (const result of stored) byTool.set(result.tool, [...(byTool.get(result.tool) ?? []), result]);
  for (const [tool, results] of byTool) {
    const log = await readKeyLog(root, tool);
    for (const { file, keyInputs } of results) log.set(file ?? "", keyInputs);
    await writeProjectState(root, logName(tool), Object.fromEntries(log));
  }
}

function changedPaths(before: Record<string, string>, after: Record<string, string>): string[] {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...paths].filter((file) => before[file] !== after[file]).sort();
}

function listed(paths: readonly string[], limit = 3): string {
  return paths.length <= limit ? paths.join(", ") : `${paths.slice(0, limit).join(", ")} and ${paths.length - limit} more`;
}

/** Why a result is not in memory, compared with what the last stored result for the same subject was keyed on. */
export function whatChanged(previous: KeyInputs | undefined, now: KeyInputs): string {
  if (previous === undefined) return "no earlier result on record for this file and tool";
  const reasons: string[] = [];
  if (previous.toolVersion !== now.toolVersion) reasons.push(`tool version ${previous.toolVersion} → ${now.toolVersion}`);
  if (JSON.stringify(previous.args) !== JSON.stringify(now.args)) reasons.push("arguments changed");
  const configs = changedPaths(previous.configFiles, now.configFiles);
  if (configs.length > 0) reasons.push(`config changed: ${listed(configs)}`);
  if (previous.environment !== now.environment) reasons.push("installed packages changed");
  if (previous.file?.[1] !== now.file?.[1]) reasons.push("file changed");
  const inputs = changedPaths(previous.inputs, now.inputs);
  if (inputs.length > 0) reasons.push(`${now.file === null ? "files" : "imported files"} changed: ${listed(inputs)}`);
  return reasons.length > 0 ? reasons.join("; ") : "same inputs as the last stored result, which memory no longer holds: expired or cleared";
}
