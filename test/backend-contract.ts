import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Backend } from "../src/backends/backend.js";
import type { Task } from "../src/core/task.js";
import { SAMPLE_PROJECT, VENV_BIN, fakeTools, projectCopy, running, tempDir, writeFiles } from "./helpers.js";

/** Polls `check` until it holds (the test's timeout bounds the wait). */
export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter(Boolean) : [];
}

/** A fake ruff that logs its pid to `started()` and blocks until `release()`: concurrency under the test's control. */
export async function blockingRuff(): Promise<{ executable: string; started(): string[]; release(): Promise<void> }> {
  const dir = await tempDir();
  const startedLog = path.join(dir, "started");
  const releaseFile = path.join(dir, "release");
  const bin = await fakeTools({
    ruff: `echo $$ >> '${startedLog}'; while [ ! -e '${releaseFile}' ]; do sleep 0.02; done; echo '[]'`,
  });
  return { executable: path.join(bin, "ruff"), started: () => lines(startedLog), release: () => writeFiles(dir, { release: "" }) };
}

/** A ruff task over the example project's models.py, which has exactly these problems. */
export function ruffTask(root: string, overrides: Partial<Task> = {}): Task {
  return {
    id: "ruff",
    tool: "ruff",
    program: { kind: "process", executable: path.join(VENV_BIN, "ruff") },
    files: ["src/inventory/models.py"],
    userArgs: [],
    cwd: root,
    timeoutMs: 60_000,
    estimatedMs: 10,
    ...overrides,
  };
}

/**
 * The behaviour every backend owes the scheduler. `makeBackend(concurrency)` builds a fresh backend; the suite
 * closes it after each test.
 */
export function backendContract(name: string, makeBackend: (concurrency: number) => Promise<Backend>): void {
  describe(`backend contract: ${name}`, () => {
    let backend: Backend | undefined;
    const open = async (concurrency: number): Promise<Backend> => (backend = await makeBackend(concurrency));
    afterEach(async () => {
      await backend?.close();
      backend = undefined;
    });

    it("runs a real tool and returns its findings as data", async () => {
      const root = await projectCopy(SAMPLE_PROJECT);
      const pool = await open(2);
      let started = false;
      const outcome = await pool.run(ruffTask(root), { signal: new AbortController().signal, onStart: () => (started = true) });
      expect(started).toBe(true);
      expect(outcome.kind).toBe("completed");
      if (outcome.kind !== "completed") return;
      expect(outcome.findings.map((finding) => `${finding.path}:${finding.line}:${finding.column}:${finding.rule}`)).toEqual([
        "src/inventory/models.py:1:8:F401",
        "src/inventory/models.py:33:13:SIM102",
      ]);
    });

    it("runs no more tasks at once than its concurrency, and all of them in the end", async () => {
      const root = await tempDir();
      const ruff = await blockingRuff();
      const pool = await open(2);
      const signal = new AbortController().signal;
      const runs = Array.from({ length: 5 }, (_, index) =>
        pool.run(ruffTask(root, { id: `ruff#${index}`, program: { kind: "process", executable: ruff.executable } }), { signal }),
      );
      await until(() => ruff.started().length >= 2);
      await new Promise((resolve) => setTimeout(resolve, 300)); // room for a wrongly started third task to show up
      expect(ruff.started()).toHaveLength(2);
      await ruff.release();
      const outcomes = await Promise.all(runs);
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(Array(5).fill("completed"));
      expect(ruff.started()).toHaveLength(5);
    });

    it("cancels a running task on abort and kills its process group", async () => {
      const root = await tempDir();
      const pids = path.join(await tempDir(), "pids");
      const bin = await fakeTools({ ruff: `sleep 600 & echo $! >> '${pids}'; echo $$ >> '${pids}'; wait` });
      const pool = await open(1);
      const controller = new AbortController();
      const run = pool.run(ruffTask(root, { program: { kind: "process", executable: path.join(bin, "ruff") } }), {
        signal: controller.signal,
      });
      await until(() => lines(pids).length >= 2);
      controller.abort();
      expect(await run).toEqual({ kind: "cancelled" });
      for (const pid of lines(pids).map(Number)) expect(await running(pid), `pid ${pid}`).toBe(false);
      // The backend still works after a cancellation.
      const next = await pool.run(ruffTask(await projectCopy(SAMPLE_PROJECT)), { signal: new AbortController().signal });
      expect(next.kind).toBe("completed");
    });

    it("a task cancelled while still queued never starts its tool", async () => {
      const root = await tempDir();
      const ruff = await blockingRuff();
      const pool = await open(1);
      const first = pool.run(ruffTask(root, { id: "first", program: { kind: "process", executable: ruff.executable } }), {
        signal: new AbortController().signal,
      });
      const queued = new AbortController();
      const second = pool.run(ruffTask(root, { id: "second", program: { kind: "process", executable: ruff.executable } }), {
        signal: queued.signal,
      });
      await until(() => ruff.started().length >= 1);
      queued.abort();
      expect(await second).toEqual({ kind: "cancelled" });
      await ruff.release();
      expect((await first).kind).toBe("completed");
      expect(ruff.started()).toHaveLength(1); // only the first task's tool ever ran
    });

    it("reports a task past its timeout as a timeout", async () => {
      const root = await tempDir();
      const bin = await fakeTools({ ruff: "sleep 600" });
      const pool = await open(1);
      const outcome = await pool.run(ruffTask(root, { program: { kind: "process", executable: path.join(bin, "ruff") }, timeoutMs: 300 }), {
        signal: new AbortController().signal,
      });
      expect(outcome).toMatchObject({ kind: "timeout", timeoutMs: 300 });
    });

    it("returns cancelled at once for an already aborted signal, and closes twice safely", async () => {
      const pool = await open(1);
      const controller = new AbortController();
      controller.abort();
      expect(await pool.run(ruffTask("/nonexistent"), { signal: controller.signal })).toEqual({ kind: "cancelled" });
      await pool.close();
      await pool.close();
    });
  });
}
