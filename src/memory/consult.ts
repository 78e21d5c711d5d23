import type { PoolScanningConfig } from "../config/schema.js";
import type { MemorySearch } from "../core/memory-search.js";
import type { TaskRecord } from "../core/task-record.js";
import type { PreparedTool } from "../plan/prepare.js";
import type { ToolWork } from "../plan/work.js";
import { memoryToolOf } from "./keys/fingerprint.js";
import { ContentHasher } from "./keys/hasher.js";
import { readKeyLog, updateKeyLogs } from "./keys/key-log.js";
import { recall } from "./recall.js";
import { remember } from "./remember.js";
import { recordRun } from "./run-log.js";
import { openStore } from "./stores/open.js";
import { ServerBackedStore } from "./stores/server-memory.js";

/** What the memory cache is asked: the scan's work, and how to look it up. */
export interface MemoryQuestion {
  config: PoolScanningConfig["memory"];
  /** `--no-cache`: neither read nor write. */
  use: boolean;
  /** `--refresh`: read nothing, overwrite everything. */
  refresh: boolean;
  /** `--explain`: say on stderr why each result was a hit or a miss. */
  explain: boolean;
  /** The project (its `.crackerjack/`), and where the bytes scanned are (a snapshot of the index for --staged). */
  root: string;
  contentRoot: string;
  /** How many Python processes may compute interface digests at once. */
  processes: number;
  tools: readonly PreparedTool[];
  works: readonly ToolWork[];
  allFiles: () => Promise<string[]>;
  /** A Mahavishnu server's memory, when the scan has one: it answers what the local store misses. */
  searchMemory: Promise<MemorySearch | undefined>;
  log: (line: string) => void;
  warn: (line: string) => void;
  signal: AbortSignal;
}

/** What memory answered: the runs still to make, the results it replays, and how to keep the fresh ones. */
export interface MemoryAnswer {
  misses: ToolWork[];
  hits: TaskRecord[];
  /** Stores the results of `records` that may be stored (see remember.ts), then releases the store. */
  remember(records: readonly TaskRecord[]): Promise<void>;
}

/**
 * The memory cache's one entry point for a scan: looks every run up (by content, settings and tool version) and
 * splits it into hits, replayed as records, and misses, left to run; then keeps what the misses found.
 */
export async function consultMemory(question: MemoryQuestion): Promise<MemoryAnswer> {
  const { config, root, contentRoot, log, warn } = question;
  // A tool that cannot say its version (declared without one) is never remembered: nothing would tell an upgrade.
  const rememberable = new Map(
    question.tools.flatMap((tool) => (tool.kind === "ready" && tool.version !== null ? [[tool.name, tool] as const] : [])),
  );
  const cacheable = question.works.filter((work) => rememberable.has(work.tool));
  const unremembered = question.works.filter((work) => !rememberable.has(work.tool));
  if (!config.enabled || !question.use || cacheable.length === 0)
    return { misses: [...question.works], hits: [], remember: () => Promise.resolve() };
  const local = await openStore(config.store, root, warn);
  // A Mahavishnu server's memory answers what the local store misses (a failed open is reported by the backend).
  const search = await question.searchMemory;
  const store = search ? new ServerBackedStore(local, search, log, warn) : local;
  const hasher = new ContentHasher(contentRoot);
  const projectFiles = await question.allFiles();
  const interfaces = { root, contentRoot, processes: question.processes, log, signal: question.signal };
  const memoryTools = await Promise.all(
    cacheable.map((work) => {
      const prepared = rememberable.get(work.tool)!;
      return memoryToolOf(work, prepared.tool, prepared.version ?? "", prepared.override, projectFiles, hasher, interfaces);
    }),
  );
  const recalled = await recall(memoryTools, store, hasher, {
    refresh: question.refresh,
    keyLog: question.explain ? (tool) => readKeyLog(root, tool) : undefined,
  });
  if (question.explain) for (const line of recalled.explanations) process.stderr.write(`${line}\n`);
  if (store instanceof ServerBackedStore) log(`memory: ${store.serverHits} results from the Mahavishnu server's memory`);
  return {
    misses: [...recalled.works, ...unremembered],
    hits: recalled.replayed,
    async remember(records) {
      try {
        const stored = await remember(records, recalled, store, hasher, config.cache_duration * 1000);
        log(`memory: ${stored.length} results stored in ${store.description}`);
        await updateKeyLogs(root, stored);
        const hits = recalled.replayed.reduce((sum, record) => sum + (record.memory?.hits ?? 0), 0);
        await recordRun(root, hits, recalled.pending.length);
      } finally {
        await store.close();
      }
    },
  };
}
