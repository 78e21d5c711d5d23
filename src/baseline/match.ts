import { normaliseMessage, type Identity } from "./identity.js";

/** How a scan's findings and a baseline's entries paired up. */
export interface Matching {
  /** For each finding, the index of the entry that accepts it, or undefined for a new finding. */
  entryOf: (number | undefined)[];
  /** Indices of the entries no finding matched, in entry order. */
  unmatched: number[];
}

/** What matching needs of a finding up front; its line content (`sourceOf`) is asked for only where it decides something. */
export interface Candidate {
  tool: string;
  rule: string;
  path: string;
  message: string;
}

/** The entries and findings of one (tool, rule, file, message) group. */
interface Group {
  entries: number[];
  findings: number[];
}

/**
 * Pairs findings with baseline entries, one entry for one finding, so two identical findings need two entries.
 * Findings and entries are grouped by tool, rule, file and message (numbers masked); within a group, a finding takes
 * first an entry with the same line content (wherever the line moved), then any entry left (the code was reformatted
 * around it, its message unchanged), in report order, so the earliest of identical findings takes an entry and a later
 * one is new. A group with as many findings as entries is paired in order without asking for line content (the common
 * case: nothing to read), unless `pairExactly` (`baseline update` keeps each entry's reason with its own finding).
 * `renames` maps an entry's path to the file's name now (git's rename detection).
 */
export function matchFindings(
  entries: readonly Identity[],
  findings: readonly Candidate[],
  sourceOf: (finding: number) => string,
  renames: ReadonlyMap<string, string> = new Map(),
  { pairExactly = false }: { pairExactly?: boolean } = {},
): Matching {
  const entryOf: (number | undefined)[] = new Array<number | undefined>(findings.length).fill(undefined);
  const taken: boolean[] = new Array<boolean>(entries.length).fill(false);
  // Each entry joins its group, then each finding the group of its entries (a finding with none is new). The groups
  // are found by file, then tool and rule, then normalised message (one string per distinct message): no key is built.
  const byPath = new Map<string, Map<string, Map<string, Group>>>();
  const all: Group[] = [];
  entries.forEach((entry, index) => {
    const file = (renames.size > 0 ? renames.get(entry.path) : undefined) ?? entry.path;
    let byRule = byPath.get(file);
    if (byRule === undefined) byPath.set(file, (byRule = new Map<string, Map<string, Group>>()));
    const rule = `${entry.tool}\0${entry.rule}`;
    let byMessage = byRule.get(rule);
    if (byMessage === undefined) byRule.set(rule, (byMessage = new Map<string, Group>()));
    const message = normaliseMessage(entry.message);
    const group = byMessage.get(message);
    if (group) group.entries.push(index);
    else {
      const created = { entries: [index], findings: [] };
      byMessage.set(message, created);
      all.push(created);
    }
  });
  findings.forEach((finding, index) =>
    byPath.get(finding.path)?.get(`${finding.tool}\0${finding.rule}`)?.get(normaliseMessage(finding.message))?.findings.push(index),
  );
  const pair = (finding: number, entry: number): void => {
    entryOf[finding] = entry;
    taken[entry] = true;
  };
  for (const { entries: candidates, findings: group } of all) {
    if (group.length === 0) continue;
    if (candidates.length === group.length && !pairExactly) {
      group.forEach((finding, index) => pair(finding, candidates[index]!));
      continue;
    }
    // Same line content first: entries waiting under each line hash, taken from the front.
    const bySource = new Map<string, { indices: number[]; next: number }>();
    for (const entry of candidates) {
      const queue = bySource.get(entries[entry]!.source);
      if (queue) queue.indices.push(entry);
      else bySource.set(entries[entry]!.source, { indices: [entry], next: 0 });
    }
    const rest: number[] = [];
    for (const finding of group) {
      const queue = bySource.get(sourceOf(finding));
      if (queue !== undefined && queue.next < queue.indices.length) pair(finding, queue.indices[queue.next++]!);
      else rest.push(finding);
    }
    // Then any entry left: the line was rewritten, the finding is the same.
    const free = candidates.filter((entry) => !taken[entry]);
    rest.slice(0, free.length).forEach((finding, index) => pair(finding, free[index]!));
  }
  return { entryOf, unmatched: entries.flatMap((_, index) => (taken[index] ? [] : [index])) };
}
