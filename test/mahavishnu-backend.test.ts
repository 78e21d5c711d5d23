import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FallbackBackend } from "../src/backends/fallback.js";
import { LocalPoolBackend } from "../src/backends/threads/pool.js";
import { MahavishnuBackend } from "../src/backends/mahavishnu/backend.js";
import { MahavishnuClient } from "../src/backends/mahavishnu/client.js";
import { RedisExchanges } from "../src/backends/mahavishnu/redis-exchange.js";
import { defaultPoolScanning } from "../src/config/schema.js";
import type { TaskRecord } from "../src/core/task-record.js";
import { runTasks } from "../src/schedule/scheduler.js";
import type { Task } from "../src/core/task.js";
import { killGroup } from "../src/execute/process-group.js";
import { backendContract, ruffTask, until } from "./backend-contract.js";
import { BUILT_WORKER, JACKPOOL, SAMPLE_PROJECT, VENV_BIN, fakeTools, projectCopy, tempDir, writeFiles } from "./helpers.js";
import { startRedis, type RedisServer } from "./redis-server.js";
import { startStandin, type Standin } from "./standin-server.js";

/** The built CLI, as a worker runs it. */
const RUNNER = [process.execPath, JACKPOOL];

/** How tasks travel: files (the default), or one redis-server shared by this file's tests, started on first use. */
type Exchange = "files" | "redis";
let redis: Promise<RedisServer> | undefined;
afterAll(async () => (await redis)?.stop());

async function mahavishnuBackend(
  server: Standin,
  pools: number,
  heartbeatStaleMs?: number,
  exchange: Exchange = "files",
): Promise<MahavishnuBackend> {
  const client = await MahavishnuClient.connect(server.url);
  const pool = { ...defaultPoolScanning().pool, worker_type: "terminal-shell", min_workers: 1 };
  const exchanges = exchange === "redis" ? await RedisExchanges.open((await (redis ??= startRedis())).url) : undefined;
  return MahavishnuBackend.start({ client, pool, pools, runner: RUNNER, heartbeatStaleMs, exchanges });
}

backendContract("Mahavishnu pools (stand-in server)", async (concurrency) => mahavishnuBackend(await startStandin(), concurrency));
backendContract("Mahavishnu pools (stand-in server), tasks through Redis", async (concurrency) =>
  mahavishnuBackend(await startStandin(), concurrency, undefined, "redis"),
);

/** Runs tasks through the scheduler on Mahavishnu, falling back to a local pool. */
async function schedule(
  backend: MahavishnuBackend,
  tasks: Task[],
  meanwhile?: () => Promise<void>,
): Promise<{ records: TaskRecord[]; warnings: string[] }> {
  const warnings: string[] = [];
  const fallback = new FallbackBackend(
    backend,
    () => new LocalPoolBackend({ threads: 1, workerFile: BUILT_WORKER }),
    (line) => warnings.push(line),
  );
  try {
    const running = runTasks(tasks, fallback, { signal: new AbortController().signal, failFast: false });
    await meanwhile?.();
    return { records: await running, warnings };
  } finally {
    await fallback.close();
  }
}

function rules(record: TaskRecord | undefined): string[] {
  return record?.outcome.kind === "completed"
    ? record.outcome.findings.map((finding) => finding.rule)
    : [`not completed: ${JSON.stringify(record?.outcome)}`];
}

/**
 * A ruff whose first run logs its pid and then blocks (until `release()`, or for good), and whose later runs
 * are the real ruff: a task that hangs remotely and then succeeds where it is re-run.
 */
async function ruffBlockingOnce(
  blockForGood: boolean,
): Promise<{ executable: string; firstPid(): number | undefined; release(): Promise<void> }> {
  const dir = await tempDir();
  const block = blockForGood ? "sleep 600" : `while [ ! -e '${dir}/release' ]; do sleep 0.02; done`;
  const bin = await fakeTools({
    ruff: `if [ ! -e '${dir}/first' ]; then echo $$ > '${dir}/first'; ${block}; fi; exec '${path.join(VENV_BIN, "ruff")}' "$@"`,
  });
  const firstPid = (): number | undefined => (existsSync(`${dir}/first`) ? Number(readFileSync(`${dir}/first`, "utf8")) : undefined);
  return { executable: path.join(bin, "ruff"), firstPid, release: () => writeFiles(dir, { release: "" }) };
}

describe("Mahavishnu backend faults", () => {
  it("reads the result from the runner's file even when pool_execute returns before the command finished", async () => {
    const server = await startStandin({ MAHAVISHNU_STANDIN_EARLY_RETURN: "1" });
    const root = await projectCopy(SAMPLE_PROJECT);
    const { records } = await schedule(await mahavishnuBackend(server, 1), [ruffTask(root)]);
    expect(records[0]?.attempts).toBe(1);
    expect(rules(records[0])).toEqual(["F401", "SIM102"]);
  });

  it("a task that never writes its result is re-run on the local pool, with the reason noted", async () => {
    const server = await startStandin({ MAHAVISHNU_STANDIN_IGNORE_PROMPTS: "1" });
    const root = await projectCopy(SAMPLE_PROJECT);
    const { records, warnings } = await schedule(await mahavishnuBackend(server, 1), [ruffTask(root)]);
    expect(records[0]?.attempts).toBe(2);
    expect(records[0]?.retriedBecause).toMatch(
      /^mahavishnu pool pool_[0-9a-f]{8}: the task never started \(pool_execute returned, but no runner showed up\); moved to the local pool$/,
    );
    expect(rules(records[0])).toEqual(["F401", "SIM102"]);
    expect(warnings).toEqual(["no Mahavishnu pool left: the rest of the scan runs on the local pool"]);
  });

  it.each<Exchange>(["files", "redis"])(
    "a pool closed under a running task: its runner dies, and the task is re-run locally (%s)",
    async (exchange) => {
      const server = await startStandin();
      const root = await projectCopy(SAMPLE_PROJECT);
      const ruff = await ruffBlockingOnce(true);
      const other = await MahavishnuClient.connect(server.url);
      try {
        const backend = await mahavishnuBackend(server, 1, 1000, exchange);
        const { records } = await schedule(
          backend,
          [ruffTask(root, { program: { kind: "process", executable: ruff.executable } })],
          async () => {
            await until(() => ruff.firstPid() !== undefined);
            // The runner beats through Redis, under the task's own keys.
            if (exchange === "redis")
              expect(await (await redis)?.keys("jackpool:task:*")).toEqual([
                expect.stringMatching(/^jackpool:task:[0-9a-f-]{36}:task-1:heartbeat$/),
                expect.stringMatching(/^jackpool:task:[0-9a-f-]{36}:task-1:task$/),
              ]);
            for (const pool of await other.list()) await other.close(pool.pool_id);
          },
        );
        expect(records[0]?.attempts).toBe(2);
        expect(records[0]?.retriedBecause).toMatch(
          /^mahavishnu pool pool_[0-9a-f]{8}: the task runner stopped without writing its result; moved to the local pool$/,
        );
        expect(rules(records[0])).toEqual(["F401", "SIM102"]);
        if (exchange === "redis") expect(await (await redis)?.keys("jackpool:*")).toEqual([]);
      } finally {
        await other.disconnect();
        // The tool ran in its own process group, which closing the pool did not reach.
        const pid = ruff.firstPid();
        if (pid !== undefined) await killGroup(pid);
      }
    },
  );

  it("a server killed mid-scan: the running task still delivers, the rest run locally", async () => {
    const server = await startStandin();
    const root = await projectCopy(SAMPLE_PROJECT);
    const ruff = await ruffBlockingOnce(false);
    const tasks = [
      ruffTask(root, { id: "ruff#0", program: { kind: "process", executable: ruff.executable } }),
      ruffTask(root, { id: "ruff#1" }),
    ];
    const { records, warnings } = await schedule(await mahavishnuBackend(server, 1), tasks, async () => {
      await until(() => ruff.firstPid() !== undefined);
      await server.kill();
      await ruff.release();
    });
    // The first task's runner outlived the server and wrote its result; the second could not start there.
    expect(records.map((record) => record.attempts)).toEqual([1, 2]);
    expect(records[1]?.retriedBecause).toMatch(
      /^mahavishnu pool pool_[0-9a-f]{8}: the task never started \(pool_execute: .+\); moved to the local pool$/,
    );
    expect(records.map(rules)).toEqual([
      ["F401", "SIM102"],
      ["F401", "SIM102"],
    ]);
    expect(warnings).toEqual([
      expect.stringMatching(/^the Mahavishnu server stopped answering \(pool_execute: .+\): the rest of the scan runs on the local pool$/),
    ]);
  });

  it("waits out the server's rate limit and still runs every task there", async () => {
    const server = await startStandin({ MAHAVISHNU_STANDIN_RATE_LIMIT: "2", MAHAVISHNU_STANDIN_RATE_WINDOW: "1" });
    const root = await projectCopy(SAMPLE_PROJECT);
    const tasks = Array.from({ length: 4 }, (_, index) => ruffTask(root, { id: `ruff#${index}` }));
    const { records } = await schedule(await mahavishnuBackend(server, 2), tasks);
    expect(records.map((record) => record.attempts)).toEqual([1, 1, 1, 1]);
    for (const record of records) expect(rules(record)).toEqual(["F401", "SIM102"]);
  });
});
