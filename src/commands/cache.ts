import { loadConfig } from "../config/load.js";
import { recentRuns } from "../memory/run-log.js";
import { openStore } from "../memory/store.js";
import { findProjectRoot } from "../project-root.js";
import { UserError } from "../user-error.js";

/** The actions of `jackpool cache`. */
export const CACHE_ACTIONS = ["stats", "clear", "gc"] as const;

/** `jackpool cache stats|clear|gc` on the store the project's config names. */
export async function cacheCommand(action: string, cwd: string, configFile?: string): Promise<number> {
  if (!(CACHE_ACTIONS as readonly string[]).includes(action)) {
    throw new UserError(`cache: unknown action "${action}" (expected ${CACHE_ACTIONS.join(", ")})`);
  }
  const root = await findProjectRoot(cwd);
  const { pool_scanning: config } = await loadConfig(cwd, configFile);
  const store = await openStore(config.memory.store, root, (line) => process.stderr.write(`jackpool: warning: ${line}\n`));
  try {
    if (action === "clear") {
      await store.clear();
      process.stdout.write(`cleared ${store.description}\n`);
    } else if (action === "gc") {
      process.stdout.write(`removed ${await store.gc()} expired entries\n`);
    } else {
      const { entries, bytes } = await store.stats();
      const runs = await recentRuns(root);
      const hits = runs.reduce((sum, run) => sum + run.hits, 0);
      const total = hits + runs.reduce((sum, run) => sum + run.misses, 0);
      process.stdout.write(`store: ${store.description}\nentries: ${entries}\n`);
      if (bytes !== null) process.stdout.write(`size: ${(bytes / 1024).toFixed(1)} KiB\n`);
      process.stdout.write(
        total === 0 ? "hit rate: no scans recorded\n" : `hit rate: ${((100 * hits) / total).toFixed(0)}% over the last ${runs.length} scans\n`,
      );
    }
  } finally {
    await store.close();
  }
  return 0;
}
