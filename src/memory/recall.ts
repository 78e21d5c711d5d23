import type { ToolWork } from "../plan/work.js";
import type { TaskRecord } from "../core/task-record.js";
import type { Finding } from "../core/finding.js";
import type { ToolName } from "../core/tool-name.js";
import type { ContentHasher } from "./keys/hasher.js";
import { importChanges } from "./keys/import-history.js";
import { cacheKey, manifestKey } from "./keys/key.js";
import { keyInputsOf, whatChanged, type KeyInputs, type KeyLog } from "./keys/key-log.js";
import type { CacheKey, CachedResult, ResultStore } from "./stores/store.js";
import type { PendingManifest, PendingResult } from "./pending.js";
import type { MemoryTool } from "./keys/fingerprint.js";

/** The scan split into what memory answered and what must still run. */
export interface Recalled {
  works: ToolWork[];
  replayed: TaskRecord[];
  pending: PendingResult[];
  manifests: PendingManifest[];
  /** One line per tool and file: hit, miss, or why it could not be cached. */
  explanations: string[];
}

// A per-file result's key has no other input files: its import digest stands for them.
const NO_INPUTS: ReadonlyMap<string, string> = new Map();

/** A record standing for `results` cached results of `work` over `files`. */
function replay(work: ToolWork, files: string[], findings: Finding[], savedMs: number, results: number): TaskRecord {
  return {
    task: { ...work, id: `${work.tool} (memory)`, files, cwd: "", estimatedMs: 0, userArgs: [...work.userArgs] },
    outcome: { kind: "completed", findings, durationMs: 0 },
    attempts: 0,
    memory: { hits: results, savedMs: Math.round(savedMs) },
  };
}

/** A manifest's per-file results, with the key each was stored under. */
function resultsByFile(manifest: CachedResult): Map<string, CachedResult & { key: CacheKey }> {
  const findings = new Map<string, Finding[]>();
  for (const finding of manifest.findings) {
    const ofFile = findings.get(finding.path);
    if (ofFile) ofFile.push(finding);
    else findings.set(finding.path, [finding]);
  }
  const results = new Map<string, CachedResult & { key: CacheKey }>();
  // Stores hand back only entries of the right shape (result-shape.ts).
  for (const [file, entry] of Object.entries(manifest.files ?? {})) {
    results.set(file, { key: entry.key, durationMs: entry.durationMs, findings: findings.get(file) ?? [] });
  }
  return results;
}

/** How to look results up. */
export interface RecallOptions {
  /** Look nothing up: every result is a miss, re-run and overwritten. */
  refresh: boolean;
  /** For --explain: the key inputs of the results last stored per tool, to say what changed on a miss. */
  keyLog?: (tool: ToolName) => Promise<KeyLog>;
}

/**
 * Looks every tool's results up in memory. Hits come back as replayed records with the full findings;
 * misses stay in `works` to run, with the keys to store their results under.
 */
export async function recall(
  tools: readonly MemoryTool[],
  store: ResultStore,
  hasher: ContentHasher,
  options: RecallOptions,
): Promise<Recalled> {
  const recalled: Recalled = { works: [], replayed: [], pending: [], manifests: [], explanations: [] };
  const lookup = (key: CacheKey) => (options.refresh ? Promise.resolve(undefined) : store.get(key));
  for (const { work, fingerprint, imports } of tools) {
    const log = options.keyLog ? await options.keyLog(work.tool) : undefined;
    // Which imported files changed since a file's logged result: worked out only for --explain, and only on a miss.
    const changedImports = log && imports ? importChanges(log.imports, imports) : undefined;
    const why = (subject: string, keyInputs: KeyInputs): string => {
      if (options.refresh) return "--refresh";
      if (!log) return "no result in memory for this content and these settings";
      return whatChanged(
        log.results.get(subject),
        keyInputs,
        (previous) => changedImports?.(subject, previous.generation ?? 0, previous.imports ?? "") ?? [],
      );
    };
    if (work.scope === "whole-project") {
      const all = await hasher.hashAll(work.files);
      const key = cacheKey(fingerprint, { file: null, inputs: all, imports: null });
      const hit = await lookup(key);
      if (hit) {
        recalled.replayed.push(replay(work, [...work.files], hit.findings, hit.durationMs, 1));
        recalled.explanations.push(`hit   ${work.tool} (whole project, ${work.files.length} files)`);
      } else {
        const keyInputs = keyInputsOf(fingerprint, null, all, null);
        recalled.works.push(work);
        recalled.pending.push({ tool: work.tool, key, file: null, expected: all, keyInputs });
        recalled.explanations.push(`miss  ${work.tool} (whole project, ${work.files.length} files) (${why("", keyInputs)})`);
      }
      continue;
    }
    const keyed = await Promise.all(
      work.files.map(async (file) => {
        const hash = await hasher.hash(file);
        // The file's component digest covers everything it imports, directly or not.
        const component = imports?.componentOf(file);
        const resultImports = imports && component !== undefined ? { components: imports, component } : undefined;
        const digest = resultImports ? resultImports.components.digest(resultImports.component) : null;
        const key = hash === null ? undefined : cacheKey(fingerprint, { file: [file, hash], inputs: NO_INPUTS, imports: digest });
        return { file, hash, resultImports, digest, key };
      }),
    );
    const keys = new Map(keyed.flatMap(({ file, key }) => (key === undefined ? [] : [[file, key] as const])));
    // One file's manifest would only repeat its own entry; an unreadable file is never cached, so neither is its manifest.
    const manifest: PendingManifest | undefined =
      keys.size > 1 && keys.size === work.files.length
        ? { key: manifestKey(fingerprint, work.files), tool: work.tool, keys, known: new Map() }
        : undefined;
    const listed = manifest && (await lookup(manifest.key));
    const fromManifest = listed ? resultsByFile(listed) : new Map<string, CachedResult & { key: CacheKey }>();
    const lookups = await Promise.all(
      keyed.map(async (entry) => {
        const listedResult = fromManifest.get(entry.file);
        if (listedResult && listedResult.key === entry.key) return { ...entry, hit: listedResult, listed: true };
        return { ...entry, hit: entry.key === undefined ? undefined : await lookup(entry.key), listed: false };
      }),
    );
    // A file whose result stops the tool's run: the tool's answer is one run over all of its files (as a direct run).
    const stopper = lookups.find((entry) => entry.hit?.stopsRun)?.file;
    if (stopper !== undefined) {
      for (const { file, hash, resultImports, digest, key, hit } of lookups) {
        if (hit || key === undefined || hash === null) continue;
        const keyInputs = keyInputsOf(fingerprint, [file, hash], NO_INPUTS, digest);
        recalled.pending.push({ tool: work.tool, key, file, expected: new Map([[file, hash]]), imports: resultImports, keyInputs });
      }
      recalled.works.push({ ...work, oneRun: true });
      recalled.explanations.push(
        `miss  ${work.tool} (${work.files.length} files) (${stopper} stops its run: one run over all of them, as the tool gives)`,
      );
      continue;
    }
    const hitFiles: string[] = [];
    const hitFindings: Finding[] = [];
    let savedMs = 0;
    const missed: string[] = [];
    for (const { file, hash, resultImports, digest, key, hit } of lookups) {
      if (hit) {
        manifest?.known.set(file, hit);
        hitFiles.push(file);
        hitFindings.push(...hit.findings);
        savedMs += hit.durationMs;
        recalled.explanations.push(`hit   ${work.tool} ${file}`);
        continue;
      }
      missed.push(file);
      if (key === undefined || hash === null) {
        recalled.explanations.push(`miss  ${work.tool} ${file} (unreadable, not cached)`);
        continue;
      }
      const keyInputs = keyInputsOf(fingerprint, [file, hash], NO_INPUTS, digest);
      recalled.pending.push({ tool: work.tool, key, file, expected: new Map([[file, hash]]), imports: resultImports, keyInputs });
      recalled.explanations.push(`miss  ${work.tool} ${file} (${why(file, keyInputs)})`);
    }
    // Up to date when it answered every file; otherwise rewritten once all files have results.
    if (manifest && !lookups.every((entry) => entry.listed)) recalled.manifests.push(manifest);
    if (hitFiles.length > 0) recalled.replayed.push(replay(work, hitFiles, hitFindings, savedMs, hitFiles.length));
    if (missed.length > 0) recalled.works.push({ ...work, files: missed });
  }
  return recalled;
}
