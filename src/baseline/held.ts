import { hash } from "node:crypto";
import type { Finding } from "../core/finding.js";
import { readProjectState, writeProjectState } from "../state/project-state.js";
import { compareWithBaseline, currentDigest, lazySources } from "./apply.js";
import { plainlyValid, type BaselineEntry, type LoadedBaseline } from "./file.js";

/** Which findings are new, and which entries no finding took (with the renames that matching used). */
export interface Holding {
  /** Indices of the findings no entry accepts. */
  fresh: ReadonlySet<number>;
  unmatched: readonly BaselineEntry[];
  renames: ReadonlyMap<string, string>;
  /** Whether this holding was remembered from an earlier scan rather than worked out. */
  remembered: boolean;
}

/** Where the last holding is kept (`.crackerjack/`, never committed). */
const HELD_STATE = "baseline-held.json";

/** The last holding: what it was worked out from, and its result. */
interface Remembered {
  key: string;
  /** The files whose lines matching read, each with its digest then: it depended on them too. */
  read: [string, string][];
  fresh: number[];
  unmatched: BaselineEntry[];
}

/** The holding remembered under `key`, checked as any store's record is (a damaged one is worked out again). */
function isRemembered(value: unknown, wanted: string, findings: number): value is Remembered {
  if (typeof value !== "object" || value === null) return false;
  const { key, read, fresh, unmatched } = value as Record<string, unknown>;
  return (
    key === wanted &&
    Array.isArray(read) &&
    read.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === "string")) &&
    Array.isArray(fresh) &&
    fresh.every((index) => Number.isInteger(index) && index >= 0 && index < findings) &&
    Array.isArray(unmatched) &&
    unmatched.every(plainlyValid)
  );
}

/**
 * What a holding is worked out from, less the files it reads: the baseline's text and every finding's tool, rule,
 * file, line and message, in report order. A warm scan of an unchanged tree gives the same findings in the same
 * order, so it gets the same key.
 */
function keyOf(baseline: LoadedBaseline, findings: readonly Finding[]): string {
  const parts = findings.map((finding) => `${finding.tool}\0${finding.rule}\0${finding.path}\0${finding.line}\0${finding.message}`);
  return hash("sha1", `jackpool-baseline-held-v1\0${baseline.digest}\0${parts.join("\n")}`);
}

/**
 * Holds a scan's findings against the baseline (apply.ts), or recalls the holding of an earlier scan that had the
 * same baseline text, the same findings and the same content in every file whose lines it read. Matching thousands
 * of findings is most of what a baseline costs a warm scan; recalling it costs a digest of the findings. A holding
 * that asked git's history for renames is not kept: the history can change under the same findings.
 */
export async function holdAgainstBaseline(
  baseline: LoadedBaseline,
  findings: readonly Finding[],
  where: { root: string; contentRoot: string; baselineFile: string; signal?: AbortSignal },
): Promise<Holding> {
  const key = keyOf(baseline, findings);
  const last = await readProjectState(where.root, HELD_STATE);
  if (isRemembered(last, key, findings.length) && last.read.every(([file, digest]) => currentDigest(where.contentRoot, file) === digest))
    return { fresh: new Set(last.fresh), unmatched: last.unmatched, renames: new Map(), remembered: true };
  const entries = baseline.entries();
  const sources = lazySources(findings, where.contentRoot);
  const comparison = await compareWithBaseline(entries, findings, sources.sourceOf, where);
  const fresh: number[] = [];
  comparison.entryOf.forEach((entry, index) => entry === undefined && fresh.push(index));
  const unmatched = comparison.unmatched.map((index) => entries[index]!);
  if (!comparison.askedHistory)
    await writeProjectState(where.root, HELD_STATE, { key, read: [...sources.filesRead()], fresh, unmatched } satisfies Remembered);
  return { fresh: new Set(fresh), unmatched, renames: comparison.renames, remembered: false };
}
