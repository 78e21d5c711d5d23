import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/memory/stores/open.js";
import type { CacheKey, CachedResult } from "../src/memory/stores/store.js";
import { tempDir, writeFiles } from "./helpers.js";
import { freePort, startRedis, type RedisServer } from "./redis-server.js";
import { storeContract } from "./store-contract.js";

const HOUR_MS = 3_600_000;

// Contract stores report here; a warning there is a failure.
const unexpected: string[] = [];
afterEach(() => {
  expect(unexpected.splice(0)).toEqual([]);
});

function result(durationMs: number, message = "m"): CachedResult {
  return { findings: [{ tool: "ruff", rule: "E1", severity: "error", path: "a.py", line: 1, column: null, message }], durationMs };
}

/** Every file below `dir`, relative to it. */
async function filesBelow(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

let contractRoot = "";
beforeAll(async () => {
  contractRoot = await mkdtemp(path.join(os.tmpdir(), "jackpool-store-"));
});
afterAll(() => rm(contractRoot, { recursive: true, force: true }));

storeContract("file store", () => openStore("file", contractRoot, (line) => unexpected.push(line)));

describe("file store", () => {
  it("lives in .crackerjack/cache, tagged as a cache and ignored by git, and clear keeps the tags", async () => {
    const root = await tempDir();
    const store = await openStore("file", root, (line) => unexpected.push(line));
    const dir = path.join(root, ".crackerjack", "cache");
    expect(store.description).toBe(`file store at ${dir}`);
    await store.set("k" as CacheKey, result(1), HOUR_MS);
    await store.clear();
    expect(await filesBelow(dir)).toEqual([".gitignore", "CACHEDIR.TAG"]);
    expect(await readFile(path.join(dir, "CACHEDIR.TAG"), "utf8")).toMatch(/^Signature: 8a477f597d28d172789f06886806bc55\n/);
    expect(await readFile(path.join(dir, ".gitignore"), "utf8")).toBe("*\n");
    await store.close();
  });

  it("a corrupt entry is deleted and is a miss, with one warning for all of them, and the store keeps working", async () => {
    const root = await tempDir();
    const warnings: string[] = [];
    const store = await openStore("file", root, (line) => warnings.push(line));
    const keys = ["a", "b", "c"] as CacheKey[];
    for (const key of keys) await store.set(key, result(1), HOUR_MS);
    const dir = path.join(root, ".crackerjack", "cache");
    const entries = (await filesBelow(dir)).filter((file) => file.endsWith(".json"));
    expect(entries).toHaveLength(3);
    const garbage = ['{"value":{"findings":[{"tool":"ru', "\u0000\u00ff not json", '{"value":42}'];
    await Promise.all(entries.map((file, index) => writeFile(path.join(dir, file), garbage[index]!)));

    for (const key of keys) expect(await store.get(key)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^memory: dropped unreadable entry \\w+ from file store at ${dir} \\(`));
    expect(await filesBelow(dir)).toEqual([".gitignore", "CACHEDIR.TAG"]);

    await store.set("a" as CacheKey, result(2), HOUR_MS);
    expect(await store.get("a" as CacheKey)).toEqual(result(2));
    expect(warnings).toHaveLength(1);
    await store.close();
  });

  it("two stores writing the same keys at once, while a third reads, never leave a torn entry", async () => {
    const root = await tempDir();
    const warnings: string[] = [];
    const [writerA, writerB, reader] = await Promise.all([1, 2, 3].map(() => openStore("file", root, (line) => warnings.push(line))));
    const keys = Array.from({ length: 20 }, (_, index) => `same-${index}` as CacheKey);
    // Values of very different sizes: a torn or interleaved write cannot parse.
    const short = result(1, "short");
    const long = result(2, "long ".repeat(20_000));
    for (let round = 0; round < 5; round++) {
      await Promise.all(keys.flatMap((key) => [writerA!.set(key, short, HOUR_MS), writerB!.set(key, long, HOUR_MS), reader!.get(key)]));
    }
    const values = await Promise.all(keys.map((key) => reader!.get(key)));
    for (const value of values) expect([short, long]).toContainEqual(value);
    expect(warnings).toEqual([]);
    expect((await filesBelow(path.join(root, ".crackerjack", "cache"))).filter((file) => file.endsWith(".tmp"))).toEqual([]);
    for (const store of [writerA, writerB, reader]) await store!.close();
  });

  it("a cache directory that cannot be created gives one warning, misses and no failure", async () => {
    const root = await tempDir();
    await writeFiles(root, { ".crackerjack": "a file where the cache directory should be" });
    const warnings: string[] = [];
    const store = await openStore("file", root, (line) => warnings.push(line));
    await store.set("k" as CacheKey, result(1), HOUR_MS);
    expect(await store.get("k" as CacheKey)).toBeUndefined();
    expect(await store.stats()).toEqual({ entries: 0, bytes: null });
    expect(await store.gc()).toBe(0);
    await store.clear();
    await store.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(`memory: cannot open file store at ${path.join(root, ".crackerjack", "cache")} (`);
  });

  it("a project root that refuses new directories gives one warning rather than a hang", async () => {
    const warnings: string[] = [];
    const store = await openStore("file", "/proc", (line) => warnings.push(line));
    expect(await store.get("k" as CacheKey)).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^memory: cannot open file store at \/proc\/.crackerjack\/cache \(/)]);
    // A hang would outlast any bound; this one is generous, so a busy machine does not fail it.
  }, 30_000);
});

describe("redis store", () => {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  const cli = async (...args: string[]): Promise<string> => (await execa("redis-cli", ["-p", String(redis!.port), ...args])).stdout;

  storeContract("redis store", () => openStore(redis!.url, "/nonexistent", (line) => unexpected.push(line)));

  it("a command Redis leaves unanswered is a miss with one warning, and the store is not asked again", async () => {
    const warnings: string[] = [];
    const store = await openStore(redis!.url, "/nonexistent", (line) => warnings.push(line));
    await store.set("paused" as CacheKey, result(1), HOUR_MS);
    await cli("CLIENT", "PAUSE", "8000", "ALL");
    try {
      expect(await store.get("paused" as CacheKey)).toBeUndefined();
      await store.set("paused" as CacheKey, result(2), HOUR_MS);
      expect(await store.get("paused" as CacheKey)).toBeUndefined();
      expect(store.failure).toBe(`${redis!.url} failed (no answer within 2000 ms)`);
      expect(warnings).toEqual([`memory: ${redis!.url} failed (no answer within 2000 ms); the scan goes on without it`]);
    } finally {
      await cli("CLIENT", "UNPAUSE");
      await store.close();
    }
  });

  it("clear, stats and gc leave keys outside jackpool's namespace alone", async () => {
    await cli("SET", "someone-else", "kept");
    const store = await openStore(redis!.url, "/nonexistent", (line) => unexpected.push(line));
    expect(store.description).toBe(redis!.url);
    await store.clear();
    await store.set("k" as CacheKey, result(1), HOUR_MS);
    expect(await store.stats()).toEqual({ entries: 1, bytes: null });
    expect(await store.gc()).toBe(0);
    await store.clear();
    expect(await store.stats()).toEqual({ entries: 0, bytes: null });
    expect(await cli("GET", "someone-else")).toBe("kept");
    await store.close();
  });
});

it("Redis where nothing listens gives one warning and misses, quickly", async () => {
  const url = `redis://127.0.0.1:${await freePort()}/0`;
  const warnings: string[] = [];
  const started = Date.now();
  const store = await openStore(url, "/nonexistent", (line) => warnings.push(line));
  await store.set("k" as CacheKey, result(1), HOUR_MS);
  expect(await store.get("k" as CacheKey)).toBeUndefined();
  await store.close();
  expect(Date.now() - started).toBeLessThan(3000);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(`memory: cannot open ${url} (`);
});
