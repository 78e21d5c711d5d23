import { appendFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ContentHasher } from "../src/memory/keys/hasher.js";
import { recall } from "../src/memory/recall.js";
import type { MemoryTool } from "../src/memory/keys/fingerprint.js";
import { remember } from "../src/memory/remember.js";
import { openStore } from "../src/memory/stores/open.js";
import type { CacheKey, ResultStore } from "../src/memory/stores/store.js";
import type { TaskRecord } from "../src/core/task-record.js";
import type { Finding } from "../src/core/finding.js";
import { tempDir, writeFiles } from "./helpers.js";

const FILES = ["a.py", "b.py", "c.py"];
const HOUR_MS = 3_600_000;

/** The real file store, counting the entries it is asked for. */
async function countingStore(root: string): Promise<{ store: ResultStore; gets: () => number }> {
  const store = await openStore("file", root, (line) => {
    throw new Error(`unexpected warning: ${line}`);
  });
  let gets = 0;
  const get = store.get.bind(store);
  store.get = (key: CacheKey) => {
    gets++;
    return get(key);
  };
  return { store, gets: () => gets };
}

function tool(files: readonly string[]): MemoryTool {
  return {
    work: {
      tool: "ruff",
      scope: "per-file",
      program: { kind: "process", executable: "ruff" },
      files,
      userArgs: [],
      timeoutMs: 1000,
      cost: { startupMs: 0, perFileMs: 0 },
    },
    fingerprint: { tool: "ruff", toolVersion: "0.0.1", args: [], configFiles: new Map(), environment: null },
    imports: null,
  };
}

function finding(file: string): Finding {
  return { tool: "ruff", rule: "F401", severity: "error", path: file, line: 1, column: 8, message: `unused in ${file}` };
}

/** What running the tool on `files` would have returned: one finding per file. */
function ran(files: readonly string[]): TaskRecord {
  const task = { ...tool(files).work, files: [...files], userArgs: [], id: "ruff#1", cwd: "", estimatedMs: 0 };
  return { task, outcome: { kind: "completed", findings: files.map(finding), durationMs: 30 }, attempts: 1 };
}

describe("memory manifests", () => {
  it("a scan that changed nothing reads one entry per tool run; one that changed a file reads that file's entry too", async () => {
    const root = await tempDir();
    await writeFiles(root, Object.fromEntries(FILES.map((file) => [file, `import os  # ${file}\n`])));
    const { store, gets } = await countingStore(root);
    try {
      const cold = await recall([tool(FILES)], store, new ContentHasher(root), { refresh: false });
      expect(cold.works.map((work) => work.files)).toEqual([FILES]);
      expect(gets()).toBe(1 + FILES.length);
      await remember([ran(FILES)], cold, store, new ContentHasher(root), HOUR_MS);
      // Three results and their manifest.
      expect((await store.stats()).entries).toBe(FILES.length + 1);

      const before = gets();
      const warm = await recall([tool(FILES)], store, new ContentHasher(root), { refresh: false });
      expect(gets() - before).toBe(1);
      expect(warm.works).toEqual([]);
      expect(warm.replayed).toHaveLength(1);
      expect(warm.replayed[0]!.memory).toEqual({ hits: 3, savedMs: 30 });
      expect(warm.replayed[0]!.outcome).toEqual({ kind: "completed", findings: FILES.map(finding), durationMs: 0 });

      await appendFile(path.join(root, "b.py"), "# edited\n");
      const beforeEdit = gets();
      const edited = await recall([tool(FILES)], store, new ContentHasher(root), { refresh: false });
      // The manifest answers a.py and c.py; b.py's new content has no entry.
      expect(gets() - beforeEdit).toBe(2);
      expect(edited.works.map((work) => work.files)).toEqual([["b.py"]]);
      expect(edited.replayed[0]!.outcome).toMatchObject({ findings: [finding("a.py"), finding("c.py")] });
      expect(edited.replayed[0]!.memory).toEqual({ hits: 2, savedMs: 20 });
      // The manifest is rewritten once b.py's fresh result is stored, and answers the next scan alone.
      await remember([ran(["b.py"])], edited, store, new ContentHasher(root), HOUR_MS);
      const again = gets();
      const rewarmed = await recall([tool(FILES)], store, new ContentHasher(root), { refresh: false });
      expect(gets() - again).toBe(1);
      expect(rewarmed.replayed[0]!.memory?.hits).toBe(3);
    } finally {
      await store.close();
    }
  });

  it("a manifest is not stored while one of its files has no result (its tool failed on it)", async () => {
    const root = await tempDir();
    await writeFiles(root, Object.fromEntries(FILES.map((file) => [file, "x = 1\n"])));
    const { store } = await countingStore(root);
    try {
      const cold = await recall([tool(FILES)], store, new ContentHasher(root), { refresh: false });
      const failed: TaskRecord = {
        ...ran(["c.py"]),
        outcome: { kind: "tool-error", exitCode: 2, message: "ruff crashed", stderr: "", durationMs: 5 },
      };
      await remember([ran(["a.py", "b.py"]), failed], cold, store, new ContentHasher(root), HOUR_MS);
      expect((await store.stats()).entries).toBe(2);
    } finally {
      await store.close();
    }
  });
});
