import { looseKey, type FingerprintedIdentity, type Identity } from "./identity.js";

/** How a scan's findings and a baseline's entries paired up. */
export interface Matching {
  /** For each finding, the index of the entry that accepts it, or undefined for a new finding. */
  entryOf: (number | undefined)[];
  /** Indices of the entries no finding matched, in entry order. */
  unmatched: number[];
}

/**
 * Pairs findings with baseline entries, one entry for one finding, so two identical findings need two entries. First
 * on the whole identity (the fingerprint: same line content, wherever the line moved); then, for what is left, on the
 * same tool, rule and message in the same file whatever the line now holds (code reformatted around the finding).
 * `renames` maps an entry's path to the file's name now (git's rename detection): a renamed entry is matched in the
 * second way, under its new name, with its line content. Findings are taken in report order, so the earliest of
 * identical findings takes the entry and a later one is new.
 */
export function matchFindings(
  entries: readonly FingerprintedIdentity[],
  findings: readonly FingerprintedIdentity[],
  renames: ReadonlyMap<string, string> = new Map(),
): Matching {
  const entryOf: (number | undefined)[] = new Array<number | undefined>(findings.length).fill(undefined);
  const taken: boolean[] = new Array<boolean>(entries.length).fill(false);
  // 1. The fingerprint: the common case, one short key per entry and finding. A renamed entry's file has a new name.
  const byFingerprint = new Map<string, number>();
  entries.forEach((entry, index) => {
    if (!renames.has(entry.path)) byFingerprint.set(entry.fingerprint, index);
  });
  let left = 0;
  findings.forEach((finding, index) => {
    const entry = byFingerprint.get(finding.fingerprint);
    if (entry === undefined || taken[entry]) {
      left++;
      return;
    }
    entryOf[index] = entry;
    taken[entry] = true;
  });
  // 2. What is left: same tool, rule, file (renamed or not) and message, first the same line content, then any.
  const leftEntries = entries.flatMap((_, index) => (taken[index] ? [] : [index]));
  if (left > 0 && leftEntries.length > 0) {
    const current = (entry: Identity): Identity => {
      const renamed = renames.get(entry.path);
      return renamed === undefined ? entry : { ...entry, path: renamed };
    };
    const keys: ((identity: Identity) => string)[] = [(identity) => `${looseKey(identity)}\0${identity.source}`, looseKey];
    for (const keyOf of keys) {
      // Entries waiting under each key, taken from the front (a cursor, not shift(): many duplicates stay linear).
      const waiting = new Map<string, { indices: number[]; next: number }>();
      for (const index of leftEntries) {
        if (taken[index]) continue;
        const key = keyOf(current(entries[index]!));
        const queue = waiting.get(key);
        if (queue) queue.indices.push(index);
        else waiting.set(key, { indices: [index], next: 0 });
      }
      if (waiting.size === 0) break;
      findings.forEach((finding, index) => {
        if (entryOf[index] !== undefined) return;
        const queue = waiting.get(keyOf(finding));
        if (queue === undefined || queue.next === queue.indices.length) return;
        const entry = queue.indices[queue.next++]!;
        entryOf[index] = entry;
        taken[entry] = true;
      });
    }
  }
  return { entryOf, unmatched: entries.flatMap((_, index) => (taken[index] ? [] : [index])) };
}
