import { loadConfig } from "../config/load.js";
import { recentRuns } from "../memory/run-log.js";
import { openStore } from "../memory/stores/open.js";
import type { ResultStore } from "../memory/stores/store.js";
import { interruptedExitCode } from "../core/exit-codes.js";
import { findProjectRoot } from "../config/project-root.js";
import { UserError } from "../core/errors.js";

/** The actions of `jackpool cache`. */
export const CACHE_ACTIONS = ["stats", "clear", "gc"] as const;

/** Does `action` on `store`; returns what to print. */
async function perform(action: (typeof CACHE_ACTIONS)[number], store: ResultStore, root: string): Promise<string> {
  switch (action) {
    case "clear":
      await store.clear();
      return `cleared ${store.description}\n`;
    case "gc":
      return `removed ${await store.gc()} expired entries\n`;
    case "stats": {
      const { entries, bytes } = await store.stats();
      const runs = await recentRuns(root);
      const hits = runs.reduce((sum, run) => sum + run.hits, 0);
      const total = hits + runs.reduce((sum, run) => sum + run.misses, 0);
      return [
        `store: ${store.description}\nentries: ${entries}\n`,
        bytes === null ? "" : `size: ${(bytes / 1024).toFixed(1)} KiB\n`,
        total === 0
          ? "hit rate: no scans recorded\n"
          : `hit rate: ${((100 * hits) / total).toFixed(0)}% over the last ${runs.length} scans\n`,
      ].join("");
    }
  }
}

/**
 * `jackpool cache stats|clear|gc` on the store the project's config names. The store is what this command is
 * about: one that cannot be opened or fails (a Redis that is down or does not answer) is a one-line error, exit 2,
 * where a scan would go on without it.
 */
export async function cacheCommand(action: string, cwd: string, configFile: string | undefined, signal: AbortSignal): Promise<number> {
  const known = CACHE_ACTIONS.find((candidate) => candidate === action);
  if (known === undefined) throw new UserError(`cache: unknown action "${action}" (expected ${CACHE_ACTIONS.join(", ")})`);
  const root = await findProjectRoot(cwd);
  const { pool_scanning: config } = await loadConfig(cwd, configFile);
  const warnings: string[] = [];
  const store = await openStore(config.memory.store, root, (line) => warnings.push(line));
  try {
    const output = signal.aborted || store.failure !== undefined ? "" : await perform(known, store, root);
    if (signal.aborted) return interruptedExitCode(signal);
    if (store.failure !== undefined) throw new UserError(`cache ${action}: ${store.failure}`);
    for (const line of warnings) process.stderr.write(`jackpool: warning: ${line}\n`);
    process.stdout.write(output);
  } finally {
    await store.close();
  }
  return 0;
}
