import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FallbackBackend } from "../src/backends/fallback.js";
import { LocalPoolBackend } from "../src/backends/threads/pool.js";
import { MahavishnuBackend, type MahavishnuBackendOptions } from "../src/backends/mahavishnu/backend.js";
import { MahavishnuClient } from "../src/backends/mahavishnu/client.js";
import { REDIS_PASSWORD_VARIABLE, RedisExchanges } from "../src/backends/mahavishnu/redis-exchange.js";
import { remoteTaskPrompt } from "../src/backends/mahavishnu/remote-command.js";
import { defaultPoolScanning } from "../src/config/schema.js";
import { runTasks } from "../src/schedule/scheduler.js";
import type { Task } from "../src/core/task.js";
import { killGroup } from "../src/execute/process-group.js";
import type { TaskRecord } from "../src/core/task-record.js";
import { backendContract, ruffTask, until } from "./backend-contract.js";
import { BUILT_WORKER, JACKPOOL, SAMPLE_PROJECT, VENV_BIN, fakeTools, projectCopy, tempDir, writeFiles } from "./helpers.js";
import { startRedis, type RedisServer } from "./redis-server.js";
import { startStandin, type Standin } from "./standin-server.js";

/** The built CLI, as a worker runs it. */
const RUNNER = [process.execPath, JACKPOOL];

/**
 * How tasks travel: files (the default), or one redis-server shared by this file's tests, started on first use. It
 * takes a password, which the runners find in the stand-in server's environment: never on the command line they are
 * typed.
 */
type Exchange = "files" | "redis";
let redis: Promise<RedisServer> | undefined;
const REDIS_PASSWORD = "exchange-s3cret";
const startExchangeRedis = (): Promise<RedisServer> =>
  startRedis({
    args: ["--requirepass", REDIS_PASSWORD],
    userinfo: `:${REDIS_PASSWORD}@`,
    cliAuth: ["-a", REDIS_PASSWORD, "--no-auth-warning"],
  });
const standin = (): Promise<Standin> => startStandin({ [REDIS_PASSWORD_VARIABLE]: REDIS_PASSWORD });
afterAll(async () => (await redis)?.stop());

/** The backend's options a test may set, and how tasks travel. */
type Options = Pick<MahavishnuBackendOptions, "heartbeatStaleMs" | "startTimeoutMs" | "runner" | "keepPools" | "log"> & {
  exchange?: Exchange;
};

async function mahavishnuBackend(
  server: Standin,
  pools: number,
  { exchange = "files", ...options }: Options = {},
): Promise<MahavishnuBackend> {
  const client = await MahavishnuClient.connect(server.url);
  const pool = { ...defaultPoolScanning().pool, worker_type: "terminal-shell", min_workers: 1 };
  const exchanges = exchange === "redis" ? await RedisExchanges.open((await (redis ??= startExchangeRedis())).url) : undefined;
  return MahavishnuBackend.start({ client, pool, pools, runner: RUNNER, exchanges, ...options });
}

backendContract("Mahavishnu pools (stand-in server)", async (concurrency) => mahavishnuBackend(await standin(), concurrency));
backendContract("Mahavishnu pools (stand-in server), tasks through Redis", async (concurrency) =>
  mahavishnuBackend(await standin(), concurrency, { exchange: "redis" }),
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

/** A pool id in a message, as the real server makes them (a regular expression). */
const POOL = "mahavishnu_\\d+";

describe("Mahavishnu task exchange through Redis", () => {
  it("types the Redis URL into the worker's terminal without its password, which the runner takes from its environment", async () => {
    const server = await (redis ??= startExchangeRedis());
    expect(server.url).toContain(REDIS_PASSWORD);
    const exchanges = await RedisExchanges.open(server.url);
    try {
      const exchange = await exchanges.create("task-1", ruffTask(SAMPLE_PROJECT));
      const prompt = remoteTaskPrompt("terminal-shell", RUNNER, exchange.runnerArgs, exchange.runnerStderr);
      expect(prompt).toMatch(/ '--redis' 'redis:\/\/127\.0\.0\.1:\d+\/0' 'jackpool:task:[0-9a-f-]{36}:task-1' /);
      expect(prompt).not.toContain(REDIS_PASSWORD);
      await exchange.remove();
    } finally {
      await exchanges.close();
    }
  });
});

describe("Mahavishnu backend faults", () => {
  it("a task is done when its runner's outcome is written: pool_execute came back at once, long before", async () => {
    const server = await standin();
    const root = await projectCopy(SAMPLE_PROJECT);
    const { records } = await schedule(await mahavishnuBackend(server, 1), [ruffTask(root)]);
    expect(records[0]?.attempts).toBe(1);
    expect(rules(records[0])).toEqual(["F401", "SIM102"]);
  });

  it("a runner that starts slowly (a cold binary, a loaded machine) runs its tasks on the pool, which stays in use", async () => {
    const server = await standin();
    const root = await projectCopy(SAMPLE_PROJECT);
    // A runner that takes 5 s to start: longer than the grace jackpool once gave a runner after pool_execute returned.
    const bin = await fakeTools({ "slow-jackpool": `sleep 5; exec '${process.execPath}' '${JACKPOOL}' "$@"` });
    const log: string[] = [];
    const backend = await mahavishnuBackend(server, 1, { runner: [path.join(bin, "slow-jackpool")], log: (line) => log.push(line) });
    const { records } = await schedule(backend, [ruffTask(root, { id: "ruff#0" }), ruffTask(root, { id: "ruff#1" })]);
    expect(records.map((record) => record.attempts)).toEqual([1, 1]);
    for (const record of records) expect(rules(record)).toEqual(["F401", "SIM102"]);
    expect(log.filter((line) => line.includes("stopped using pool"))).toEqual([]);
  });

  it("a worker whose screen holds an old `error:`, in a shell a previous task moved, still gets its tasks run", async () => {
    const server = await standin();
    const root = await projectCopy(SAMPLE_PROJECT);
    const other = await MahavishnuClient.connect(server.url);
    try {
      const { name } = defaultPoolScanning().pool;
      const { pool_id } = await other.spawn({ name, worker_type: "terminal-shell" });
      await other.execute(pool_id, "cd /; export PATH=/nonexistent; echo 'error: from an earlier task'", 30);
      // From now on the server answers every task of this pool at once as failed.
      await until(async () => (await other.execute(pool_id, "true", 30)).status === "failed");
      const backend = await mahavishnuBackend(server, 1, { keepPools: true });
      const { records } = await schedule(backend, [ruffTask(root)]);
      expect(records[0]?.attempts).toBe(1);
      expect(rules(records[0])).toEqual(["F401", "SIM102"]);
    } finally {
      await other.disconnect();
    }
  });

  it("under root's `#` prompt the server answers only at its timeout; tasks complete from their outcomes all the same", async () => {
    const server = await startStandin({ MAHAVISHNU_STANDIN_PROMPT: "bash-5.2# " });
    const root = await projectCopy(SAMPLE_PROJECT);
    const tasks = Array.from({ length: 3 }, (_, index) => ruffTask(root, { id: `ruff#${index}` }));
    const { records } = await schedule(await mahavishnuBackend(server, 1), tasks);
    expect(records.map((record) => record.attempts)).toEqual([1, 1, 1]);
    for (const record of records) expect(rules(record)).toEqual(["F401", "SIM102"]);
  });

  it("a task whose command never runs is re-run on the local pool once no runner showed up in time, with the reason noted", async () => {
    const server = await startStandin({ MAHAVISHNU_STANDIN_IGNORE_PROMPTS: "1" });
    const root = await projectCopy(SAMPLE_PROJECT);
    const { records, warnings } = await schedule(await mahavishnuBackend(server, 1, { startTimeoutMs: 2000 }), [ruffTask(root)]);
    expect(records[0]?.attempts).toBe(2);
    expect(records[0]?.retriedBecause).toMatch(
      new RegExp(`^mahavishnu pool ${POOL}: the task never started \\(no runner showed up within 2 s\\); moved to the local pool$`),
    );
    expect(rules(records[0])).toEqual(["F401", "SIM102"]);
    expect(warnings).toEqual(["no Mahavishnu pool left: the rest of the scan runs on the local pool"]);
  });

  it.each<Exchange>(["files", "redis"])(
    "a pool closed under a running task: its runner dies, and the task is re-run locally (%s)",
    async (exchange) => {
      const server = await standin();
      const root = await projectCopy(SAMPLE_PROJECT);
      const ruff = await ruffBlockingOnce(true);
      const other = await MahavishnuClient.connect(server.url);
      try {
        const backend = await mahavishnuBackend(server, 1, { heartbeatStaleMs: 1000, exchange });
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
          new RegExp(`^mahavishnu pool ${POOL}: the task runner stopped without writing its result; moved to the local pool$`),
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

  it("a server killed mid-scan takes its terminals (and the running runner) with it: every task ends up run locally", async () => {
    const server = await standin();
    const root = await projectCopy(SAMPLE_PROJECT);
    const ruff = await ruffBlockingOnce(false);
    const tasks = [
      ruffTask(root, { id: "ruff#0", program: { kind: "process", executable: ruff.executable } }),
      ruffTask(root, { id: "ruff#1" }),
    ];
    try {
      const { records, warnings } = await schedule(await mahavishnuBackend(server, 1, { heartbeatStaleMs: 1000 }), tasks, async () => {
        await until(() => ruff.firstPid() !== undefined);
        await server.kill();
        await ruff.release();
      });
      // The stand-in's terminals are its own pseudo-terminals: they hang up when it dies (the real server's tmux
      // terminals outlive it: test/mahavishnu-real.test.ts). The second task never reached the server.
      expect(records.map((record) => record.attempts)).toEqual([2, 2]);
      expect(records[0]?.retriedBecause).toMatch(
        new RegExp(`^mahavishnu pool ${POOL}: the task runner stopped without writing its result; moved to the local pool$`),
      );
      expect(records.map(rules)).toEqual([
        ["F401", "SIM102"],
        ["F401", "SIM102"],
      ]);
      expect(warnings).toEqual(["no Mahavishnu pool left: the rest of the scan runs on the local pool"]);
    } finally {
      const pid = ruff.firstPid();
      if (pid !== undefined) await killGroup(pid);
    }
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
