import path from "node:path";
import { describe, expect, it } from "vitest";
import { LocalPoolBackend } from "../src/backends/threads/pool.js";
import { runTasks } from "../src/schedule/scheduler.js";
import { backendContract } from "./backend-contract.js";
import { BUILT_WORKER, REPO, SAMPLE_PROJECT, VENV_BIN, projectCopy, tempDir, writeFiles } from "./helpers.js";

backendContract("local piscina pool", (concurrency) =>
  Promise.resolve(new LocalPoolBackend({ threads: concurrency, workerFile: BUILT_WORKER })),
);

describe("local pool fault isolation", () => {
  it("a worker thread that dies mid-task is replaced and the task retried once, with the retry noted", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const marker = path.join(await tempDir(), "die");
    await writeFiles(path.dirname(marker), { die: "" });
    process.env.JACKPOOL_TEST_DIE_MARKER = marker;
    const backend = new LocalPoolBackend({ threads: 1, workerFile: path.join(REPO, "test/fixtures/workers/dies-once.cjs") });
    try {
      const task = {
        id: "ruff",
        tool: "ruff" as const,
        program: { kind: "process" as const, executable: path.join(VENV_BIN, "ruff") },
        files: ["src/inventory/models.py"],
        userArgs: [],
        cwd: root,
        timeoutMs: 60_000,
        estimatedMs: 1,
      };
      const [record] = await runTasks([task], backend, { signal: new AbortController().signal, failFast: false });
      expect(record?.attempts).toBe(2);
      expect(record?.retriedBecause).toMatch(/^worker thread died: /);
      expect(record?.outcome.kind).toBe("completed");
      if (record?.outcome.kind === "completed") expect(record.outcome.findings.map((finding) => finding.rule)).toEqual(["F401", "SIM102"]);
    } finally {
      delete process.env.JACKPOOL_TEST_DIE_MARKER;
      await backend.close();
    }
  });
});
