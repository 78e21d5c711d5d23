import type { ImportComponents } from "./import-components.js";
import { shortHash } from "./key.js";

/**
 * A file as of one generation on: its short interface digest (import-components.ts `interfaces`; null: gone or
 * unreadable) and its direct imports.
 */
type FileVersion = [generation: number, hash: string | null, imports: string[]];

/**
 * The import graph each logged result of a type-aware tool was keyed on, for `--explain` to name the imported
 * files that changed since. Each key-log write that stores such results is a new generation; a file gets a new
 * version only when its interface or imports changed, and versions no logged result can see are dropped. So
 * the history is one version per file plus the older versions that results keyed on older closures still
 * see: O(files + imports), where a table of every result's closure was O(files × closure).
 */
export interface ImportHistory {
  /** The last generation written; results logged with it saw the latest versions. */
  generation: number;
  files: Record<string, FileVersion[]>;
}

/** The history of a log that has none yet. */
export function emptyHistory(): ImportHistory {
  return { generation: 0, files: {} };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function shortOrNull(hash: string | null | undefined): string | null {
  return hash ? shortHash(hash) : null;
}

/** Whether a version holds for one of `generations`: from its own generation up to the next version's. */
function visible(versions: readonly FileVersion[], index: number, generations: readonly number[]): boolean {
  const from = versions[index]![0];
  const until = versions[index + 1]?.[0] ?? Infinity;
  return generations.some((generation) => generation >= from && generation < until);
}

/**
 * `history` with the graph of `components` as its next generation, keeping only the versions that one of the
 * `live` generations (those logged results still refer to, the next one included) sees.
 */
export function withGeneration(history: ImportHistory, components: ImportComponents, live: readonly number[]): ImportHistory {
  const generation = history.generation + 1;
  const files: Record<string, FileVersion[]> = {};
  const paths = [...new Set([...Object.keys(history.files), ...components.graph.keys()])].sort();
  for (const file of paths) {
    const versions = [...(history.files[file] ?? [])];
    const last = versions[versions.length - 1];
    const hash = shortOrNull(components.interfaces.get(file));
    const imports = [...(components.graph.get(file) ?? [])];
    if (last ? last[1] !== hash || !sameList(last[2], imports) : hash !== null) versions.push([generation, hash, imports]);
    const kept = versions.filter((_, index) => visible(versions, index, live));
    // Before its first version a file is absent: a leading "gone" says nothing.
    while (kept[0]?.[1] === null) kept.shift();
    if (kept.length > 0) files[file] = kept;
  }
  return { generation, files };
}

/** The files `start` reaches through `importsOf`, itself included. */
function reached(start: string, importsOf: (file: string) => readonly string[]): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    for (const target of importsOf(queue.pop()!)) {
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return seen;
}

/**
 * For `--explain`: which files, besides the file itself, differ between the import closure that a result logged
 * in `generation` with component digest `digest` was keyed on and the file's import closure now (its
 * interface changed, or joined or left the closure). A digest stands for its component's members, so the files
 * of one component share the answer: it is computed once per component.
 */
export function importChanges(
  history: ImportHistory,
  now: ImportComponents,
): (file: string, generation: number, digest: string) => string[] {
  const known = new Map<string, string[]>();
  return (file, generation, digest) => {
    const component = `${generation} ${digest} ${now.componentOf(file)}`;
    let changed = known.get(component);
    if (!changed) {
      const then = (path: string): FileVersion | undefined => history.files[path]?.findLast(([from]) => from <= generation);
      const before = reached(file, (path) => then(path)?.[2] ?? []);
      const after = reached(file, (path) => now.graph.get(path) ?? []);
      // As in a table of the closure's files: one that joined or left it counts as changed too.
      const differs = (path: string): boolean =>
        !before.has(path) || !after.has(path) || (then(path)?.[1] ?? null) !== shortOrNull(now.interfaces.get(path));
      changed = [...new Set([...before, ...after])].filter(differs).sort();
      known.set(component, changed);
    }
    return changed.filter((path) => path !== file);
  };
}
