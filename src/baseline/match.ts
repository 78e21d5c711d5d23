import { exactKey, looseKey, type Identity } from "./identity.js";

/** How a scan's findings and a baseline's entries paired up. */
export interface Matching {
  /** For each finding, the index of the entry that accepts it, or undefined for a new finding. */
  entryOf: (number | undefined)[];
  /** Indices of the entries no finding matched, in entry order. */
  unmatched: number[];
}

/**
 * Pairs findings with baseline entries, one entry for one finding, so two identical findings need two entries. First
 * on the exact identity (same line content, wherever the line moved), then, for what is left, on the same rule and
 * message in the same file whatever the line now holds (code reformatted around the finding). `renames` maps an
 * entry's path to the file's name now (git's rename detection). Findings are taken in report order, so the earliest
 * of identical findings takes the entry and a later one is new.
 */
export function matchFindings(
  entries: readonly Identity[],
  findings: readonly Identity[],
  renames: ReadonlyMap<string, string> = new Map(),
): Matching {
  const entryOf: (number | undefined)[] = findings.map(() => undefined);
  const taken = entries.map(() => false);
  const current = (entry: Identity): Identity => {
    const renamed = renames.get(entry.path);
    return renamed === undefined ? entry : { ...entry, path: renamed };
  };
  for (const keyOf of [exactKey, looseKey] as ((identity: Identity) => string)[]) {
    const waiting = new Map<string, number[]>();
    entries.forEach((entry, index) => {
      if (taken[index]) return;
      const key = keyOf(current(entry));
      const queue = waiting.get(key);
      if (queue) queue.push(index);
      else waiting.set(key, [index]);
    });
    if (waiting.size === 0) break;
    findings.forEach((finding, index) => {
      if (entryOf[index] !== undefined) return;
      const entry = waiting.get(keyOf(finding))?.shift();
      if (entry === undefined) return;
      entryOf[index] = entry;
      taken[entry] = true;
    });
  }
  return { entryOf, unmatched: entries.flatMap((_, index) => (taken[index] ? [] : [index])) };
}
