import type { TaskRecord } from "../core/task-record.js";
import type { Finding } from "../core/finding.js";
import type { ContentHasher } from "./keys/hasher.js";
import type { ImportComponents } from "./keys/import-components.js";
import type { PendingResult, ResultImports } from "./pending.js";
import type { Recalled } from "./recall.js";
import type { CacheKey, CachedResult, ResultStore } from "./stores/store.js";

function pendingId(tool: string, file: string | null): string {
  return `${tool}\0${file ?? ""}`;
}

/**
 * Stores the fresh results of completed tasks, each only for a file the tool really analysed (a run's coverage:
 * not the files a run stopped before, nor the ones it left unfinished), and only if every file it depends on still
 * has the content it had before the tool ran: a file edited during the scan is never cached with old results.
 * Each file is re-read at most once, and results keyed on import components are checked through the
 * component graph, so checking every result costs O(files + imports), not O(files × closure).
 * Then writes each manifest whose files all have a result now. Returns the per-file and whole-project results it stored.
 */
export async function remember(
  records: readonly TaskRecord[],
  { pending, manifests }: Pick<Recalled, "pending" | "manifests">,
  store: ResultStore,
  hasher: ContentHasher,
  ttlMs: number,
): Promise<PendingResult[]> {
  const byId = new Map(pending.map((entry) => [pendingId(entry.tool, entry.file), entry]));
  // Results share their inputs: read each file's current content once.
  const current = new Map<string, Promise<string | null>>();
  const currentHash = (file: string): Promise<string | null> => {
    let now = current.get(file);
    if (!now) {
      now = hasher.fresh(file);
      current.set(file, now);
    }
    return now;
  };
  const importChecks = new Map<ImportComponents, (component: number) => Promise<boolean>>();
  const importsUnchanged = ({ components, component }: ResultImports): Promise<boolean> => {
    let check = importChecks.get(components);
    if (!check) {
      check = components.unchangedCheck(currentHash);
      importChecks.set(components, check);
    }
    return check(component);
  };
  const still = async ({ expected, imports }: PendingResult): Promise<boolean> => {
    for (const [file, hash] of expected) if ((await currentHash(file)) !== hash) return false;
    return imports === undefined || importsUnchanged(imports);
  };
  const stored: PendingResult[] = [];
  const fresh = new Map<string, CachedResult>();
  for (const { task, outcome } of records) {
    if (outcome.kind !== "completed") continue;
    const { coverage } = outcome;
    const whole = byId.get(pendingId(task.tool, null));
    if (whole) {
      // A whole-project run that stopped at broken input stops there again on the same bytes: its answer stands.
      if (coverage?.kind !== "partial" && (await still(whole))) {
        await store.set(whole.key, { findings: outcome.findings, durationMs: outcome.durationMs }, ttlMs);
        stored.push(whole);
      }
      continue;
    }
    const byPath = new Map<string, Finding[]>(task.files.map((file) => [file, []]));
    // A finding for a file outside the task cannot be attributed: cache nothing of such a task.
    if (outcome.findings.some((finding) => !byPath.has(finding.path))) continue;
    for (const finding of outcome.findings) byPath.get(finding.path)?.push(finding);
    const perFileMs = outcome.durationMs / Math.max(task.files.length, 1);
    for (const [file, findings] of byPath) {
      // Only a file the tool really analysed has a result: not the ones a stopped run never reached, nor unfinished ones.
      if (coverage?.kind === "stopped" && !coverage.by.includes(file)) continue;
      if (coverage?.kind === "partial" && coverage.files.includes(file)) continue;
      const entry = byId.get(pendingId(task.tool, file));
      if (!entry || !(await still(entry))) continue;
      const result: CachedResult = {
        findings,
        durationMs: perFileMs,
        ...(coverage?.kind === "stopped" ? { stopsRun: true as const } : {}),
      };
      await store.set(entry.key, result, ttlMs);
      fresh.set(pendingId(task.tool, file), result);
      stored.push(entry);
    }
  }
  for (const { key, tool, keys, known } of manifests) {
    const results: { file: string; key: CacheKey; result: CachedResult }[] = [];
    for (const [file, resultKey] of keys) {
      const result = known.get(file) ?? fresh.get(pendingId(tool, file));
      if (result) results.push({ file, key: resultKey, result });
    }
    // A manifest does not say which result stops its tool's run; the per-file entries do, and are read instead.
    if (results.length < keys.size || results.some((entry) => entry.result.stopsRun)) continue;
    await store.set(
      key,
      {
        findings: results.flatMap((entry) => entry.result.findings),
        durationMs: results.reduce((sum, entry) => sum + entry.result.durationMs, 0),
        files: Object.fromEntries(results.map((entry) => [entry.file, { key: entry.key, durationMs: entry.result.durationMs }])),
      },
      ttlMs,
    );
  }
  return stored;
}
