import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_PROJECT, jackpool, projectCopy, writeFiles } from "./helpers.js";
import { startRedis, type RedisServer } from "./redis-server.js";

/** What the example project's ruff and codespell find, as the text report prints it. */
const FINDINGS = [
  "src/inventory/models.py:1:8 ruff F401 `os` imported but unused",
  "src/inventory/models.py:33:13 ruff SIM102 Use a single `if` statement instead of nested `if` statements",
];

/** Valid JSON of the wrong shapes, in keyv's envelope: what a bug, another program or a hand may leave in a store. */
const WRONG_SHAPES = [
  { findings: [{ foo: 1 }], durationMs: 1 },
  { findings: [{ tool: "ruff", rule: "F401", severity: "error", path: "src/x.py", line: "1", column: null, message: "m" }], durationMs: 1 },
  { findings: [], durationMs: 1, files: { "src/inventory/models.py": { key: 42 } } },
  { findings: "none", durationMs: 1 },
];

/** keyv's serialized entry holding `value`, with the expiry of the entry it replaces. */
function corrupted(entry: string, index: number): string {
  const { expires } = JSON.parse(entry) as { expires?: number };
  return JSON.stringify({ value: WRONG_SHAPES[index % WRONG_SHAPES.length], expires });
}

async function project(store: string): Promise<string> {
  const root = await projectCopy(SAMPLE_PROJECT);
  await writeFiles(root, { ".crackerjack.yaml": `pool_scanning:\n  enabled: false\n  memory:\n    store: ${store}\n` });
  return root;
}

/** Scans ruff with the text report; the findings lines and the warnings. */
async function textScan(root: string): Promise<{ exitCode: number | undefined; findings: string[]; warnings: string[] }> {
  const run = await jackpool(root, ["scan", "--all", "--tools", "ruff", "--quiet"]);
  return {
    exitCode: run.exitCode,
    findings: run.stdout.split("\n").filter((line) => line.startsWith("src/")),
    warnings: run.stderr.split("\n").filter(Boolean),
  };
}

describe("a cache entry that is valid JSON of the wrong shape is a miss with one warning", () => {
  it("in the file store", async () => {
    const root = await project("file");
    expect((await textScan(root)).findings).toEqual(FINDINGS);
    const dir = path.join(root, ".crackerjack", "cache");
    const entries = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith(".json"));
    expect(entries.length).toBeGreaterThan(1); // per-file results and a manifest
    for (const [index, file] of entries.entries())
      await writeFile(path.join(dir, file), corrupted(await readFile(path.join(dir, file), "utf8"), index));

    const replayed = await textScan(root);
    expect(replayed.exitCode).toBe(1);
    expect(replayed.findings).toEqual(FINDINGS);
    expect(replayed.warnings).toEqual([
      expect.stringMatching(
        new RegExp(
          `^jackpool: warning: memory: dropped unreadable entry \\S+ from file store at ${dir} \\(not a cached result\\); later ones are dropped silently$`,
        ),
      ),
    ]);
    // The bad entries were replaced by good ones: the next scan is all hits, and quiet.
    expect(await textScan(root)).toEqual({ exitCode: 1, findings: FINDINGS, warnings: [] });
  });

  describe("in Redis", () => {
    let redis: RedisServer | undefined;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(async () => {
      await redis?.stop();
    });

    it("in a real redis-server", async () => {
      const root = await project(redis!.url);
      expect((await textScan(root)).findings).toEqual(FINDINGS);
      const keys = await redis!.keys("jackpool*");
      expect(keys.length).toBeGreaterThan(1);
      const cli = (...args: string[]) => execa("redis-cli", ["-p", String(redis!.port), "--raw", ...args]).then((result) => result.stdout);
      for (const [index, key] of keys.entries()) await cli("SET", key, corrupted(await cli("GET", key), index), "KEEPTTL");

      const replayed = await textScan(root);
      expect(replayed.exitCode).toBe(1);
      expect(replayed.findings).toEqual(FINDINGS);
      expect(replayed.warnings).toEqual([
        expect.stringMatching(
          new RegExp(
            `^jackpool: warning: memory: dropped unreadable entry \\S+ from ${redis!.url} \\(not a cached result\\); later ones are dropped silently$`,
          ),
        ),
      ]);
      expect(await textScan(root)).toEqual({ exitCode: 1, findings: FINDINGS, warnings: [] });
    });
  });
});
