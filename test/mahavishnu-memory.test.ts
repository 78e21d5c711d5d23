import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { MahavishnuClient } from "../src/backends/mahavishnu/client.js";
import { openFileStore } from "../src/memory/stores/file-store.js";
import { SERVER_RECORD_FORMAT, ServerBackedStore } from "../src/memory/stores/server-memory.js";
import type { CacheKey, CachedResult } from "../src/memory/stores/store.js";
import type { Finding } from "../src/core/finding.js";
import { SAMPLE_PROJECT, VENV_BIN, comparableReport, fakeTools, projectCopy, scanJson, tempDir, writeFiles } from "./helpers.js";
import { startRedis } from "./redis-server.js";
import { startStandin } from "./standin-server.js";

const finding = (rule: string): Finding => ({ tool: "ruff", rule, severity: "error", path: "a.py", line: 1, column: 1, message: rule });
const record = (key: string, rules: string[], expiresAt = Date.now() + 60_000): unknown => ({
  format: SERVER_RECORD_FORMAT,
  key,
  findings: rules.map(finding),
  durationMs: 5,
  expiresAt,
});

describe("pool_search_memory", () => {
  it("serves well-formed, unexpired jackpool records after the local store, and ignores anything else", async () => {
    const memory = path.join(await tempDir(), "memory.json");
    await writeFile(
      memory,
      JSON.stringify([
        record("k-remote", ["F401"]),
        record("k-expired", ["F401"], Date.now() - 1000),
        { ...(record("k-bad-finding", []) as object), findings: [{ rule: "F401" }] },
        { ...(record("k-bad-end", []) as object), findings: [{ ...finding("F401"), endLine: "2" }] },
        { ...(record("k-other-format", ["F401"]) as object), format: "jackpool-result/2" },
        record("k-both", ["REMOTE"]),
        { content: `a conversation that mentions ${SERVER_RECORD_FORMAT}` },
        { content: "unrelated memory, which the search does not return" },
      ]),
    );
    const server = await startStandin({ MAHAVISHNU_STANDIN_MEMORY: memory });
    const client = await MahavishnuClient.connect(server.url);
    const local = await openFileStore(await tempDir(), () => undefined);
    await local.set("k-both" as CacheKey, { findings: [finding("LOCAL")], durationMs: 1 }, 60_000);
    const notes: string[] = [];
    const warnings: string[] = [];
    const store = new ServerBackedStore(
      local,
      (query, limit) => client.searchMemory(query, limit),
      (line) => notes.push(line),
      (line) => warnings.push(line),
    );
    try {
      expect((await store.get("k-remote" as CacheKey))?.findings.map((item) => item.rule)).toEqual(["F401"]);
      expect((await store.get("k-both" as CacheKey))?.findings.map((item) => item.rule)).toEqual(["LOCAL"]);
      for (const key of ["k-expired", "k-bad-finding", "k-bad-end", "k-other-format", "k-unknown"])
        expect(await store.get(key as CacheKey), key).toBeUndefined();
      expect(store.serverHits).toBe(1);
      expect(notes).toEqual(["memory: the Mahavishnu server returned 6 records, 2 of them usable jackpool results"]);
      expect(warnings).toEqual([`memory: ignored 2 malformed ${SERVER_RECORD_FORMAT} records from the Mahavishnu server's memory`]);
    } finally {
      await store.close();
      await client.disconnect();
    }
  });

  it("a scan whose local memory is empty replays the server's records instead of running the tools", async () => {
    const redis = await startRedis();
    const memory = path.join(await tempDir(), "memory.json");
    const server = await startStandin({ MAHAVISHNU_STANDIN_MEMORY: memory });
    try {
      const root = await projectCopy(SAMPLE_PROJECT, { commit: false });
      await writeFiles(root, {
        ".crackerjack.yaml": `pool_scanning:
  mcp_server_url: "${server.url}"
  pool: { min_workers: 1, max_workers: 2, worker_type: terminal-shell }
  pooled_tools: []
  local_tools: [ruff, codespell]
  memory: { store: "${redis.url}" }
`,
      });
      const ran = path.join(await tempDir(), "ran");
      const bin = await fakeTools(
        Object.fromEntries(
          ["ruff", "codespell"].map((tool) => [
            tool,
            `[ "$1" = --version ] || echo ${tool} >> '${ran}'; exec '${path.join(VENV_BIN, tool)}' "$@"`,
          ]),
        ),
      );
      const first = await scanJson(root, ["--all", "--backend", "local"], { pathDirs: [bin] });
      expect(first.run.exitCode).toBe(1);
      expect((await readFile(ran, "utf8")).trim().split("\n").sort()).toEqual(["codespell", "ruff"]);
      // What Session-Buddy would hold: each stored result as a jackpool record (the manifests that list them are
      // the local store's own); then the local store forgets.
      const cli = (...args: string[]) => execa("redis-cli", ["-p", String(redis.port), ...args]);
      const stored = (await cli("--scan", "--pattern", "jackpool:*")).stdout.split("\n").filter(Boolean);
      const entries = await Promise.all(stored.map(async (key) => ({ key, entry: await entryOf(cli, key) })));
      const results = entries.filter(({ entry }) => entry.files === undefined);
      // ruff and codespell ran on 4 and 10 files: one manifest each.
      expect(stored.length - results.length).toBe(2);
      const keys = results.map(({ key }) => key);
      expect(keys.length).toBeGreaterThan(3);
      const records = results.map(({ key, entry }) => ({
        ...(record(key.slice("jackpool::".length), []) as object),
        findings: entry.findings,
        durationMs: entry.durationMs,
      }));
      await writeFile(memory, JSON.stringify(records));
      await cli("FLUSHALL");
      await writeFile(ran, "");

      const second = await scanJson(root, ["--all", "--verbose"], { pathDirs: [bin] });
      expect(second.run.exitCode).toBe(1);
      expect(await readFile(ran, "utf8"), second.run.stderr).toBe("");
      expect(second.run.stderr).toContain(
        `memory: the Mahavishnu server returned ${keys.length} records, ${keys.length} of them usable jackpool results`,
      );
      expect(second.run.stderr).toContain(`memory: ${keys.length} results from the Mahavishnu server's memory`);
      expect(second.report.summary.fromMemory).toBe(keys.length);
      expect(comparableReport(second.report)).toEqual(comparableReport(first.report));
    } finally {
      await redis.stop();
    }
  });
});

/** The findings and duration of one keyv entry in Redis. */
async function entryOf(cli: (...args: string[]) => Promise<{ stdout: string }>, key: string): Promise<CachedResult> {
  return (JSON.parse((await cli("GET", key)).stdout) as { value: CachedResult }).value;
}
