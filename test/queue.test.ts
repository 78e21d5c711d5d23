import { createHash } from "node:crypto";
import { chmod, cp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Queue, QueueEvents } from "bullmq";
import { createClient } from "@redis/client";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  JACKPOOL,
  OLDER_RUFF_BIN,
  REAL_PROJECT,
  SAMPLE_PROJECT,
  SYSTEM_PATH,
  VENV_BIN,
  brief,
  comparableReport,
  fakeTools,
  forTheSuite,
  gitRepo,
  jackpool,
  projectCopy,
  running,
  scanJson,
  tempDir,
} from "./helpers.js";
import { freePort, startRedis, type RedisOptions, type RedisServer } from "./redis-server.js";
import { canHideDirectories, startWorker, type QueueWorker } from "./queue-workers.js";

/**
 * Workers on other machines, for real: a real redis-server with an ACL user (the password must never show), and
 * `jackpool worker` processes, each in its own directory and its own mount namespace where the projects are covered
 * by an empty tmpfs, so they run on what was shipped or not at all.
 */
const PASSWORD = "s3cret-queue-pass";
const ACL: RedisOptions = {
  args: ["--user", "default", "off", "--user", "scanner", "on", `>${PASSWORD}`, "~*", "&*", "+@all"],
  userinfo: `scanner:${PASSWORD}@`,
  cliAuth: ["--user", "scanner", "--pass", PASSWORD, "--no-auth-warning"],
};
/** The tools a queue worker can take (the others read the project's packages or files outside it). */
const SHIPPED = ["ruff", "codespell", "gitleaks", "complexipy", "skylos", "vulture"];

const hiding = await canHideDirectories();

describe("the queue, when it cannot be used", () => {
  it("--backend queue fails in one line without a live worker or a Redis; auto says why and runs without it", async () => {
    const redis = await startRedis();
    try {
      const root = await gitRepo({ "app.py": "import os\n" });
      const args = ["scan", "--all", "--tools", "ruff", "--quiet"];
      const none = await jackpool(root, [...args, "--backend", "queue"], { env: { JACKPOOL_QUEUE_URL: redis.url } });
      expect(none.exitCode).toBe(2);
      expect(none.stderr.trim()).toMatch(/^jackpool: --backend queue: no live worker on the queue at redis:\/\/127\.0\.0\.1:\d+\/0$/);
      const down = `redis://user:${PASSWORD}@127.0.0.1:${await freePort()}/0`;
      const unreachable = await jackpool(root, [...args, "--backend", "queue"], { env: { JACKPOOL_QUEUE_URL: down } });
      expect(unreachable.exitCode).toBe(2);
      expect(unreachable.stderr.trim()).toMatch(
        /^jackpool: --backend queue: cannot reach the queue's Redis at redis:\/\/\*\*\*@127\.0\.0\.1:\d+\/0 \(.+\)$/,
      );
      // auto, with pools enabled and no Mahavishnu server either: the scan runs locally.
      const config = `pool_scanning:\n  mcp_server_url: http://127.0.0.1:${await freePort()}\n  queue:\n    url: ${redis.url}\n`;
      await writeFile(path.join(root, ".crackerjack.yaml"), config);
      const idle = await jackpool(root, args);
      expect(idle.exitCode).toBe(1);
      expect(idle.stdout).toContain("F401");
      expect(idle.stderr).not.toContain("queue");
      const away = await jackpool(root, args, { env: { JACKPOOL_QUEUE_URL: down } });
      expect(away.exitCode).toBe(1);
      expect(away.stderr).toMatch(
        /^jackpool: warning: queue: cannot reach the queue's Redis at redis:\/\/\*\*\*@127\.0\.0\.1:\d+\/0 \(.+\); trying Mahavishnu$/m,
      );
      for (const run of [unreachable, away]) expect(run.stderr).not.toContain(PASSWORD);
    } finally {
      await redis.stop();
    }
  });
});

describe.skipIf(!hiding)("queue workers", () => {
  let redis: RedisServer;
  let sample: string;
  let pygments: string;
  let modes: string;
  const workers: QueueWorker[] = [];
  const queueEnv = (): Record<string, string> => ({ JACKPOOL_QUEUE_URL: redis.url });

  let removeDirs = (): Promise<void> => Promise.resolve();

  beforeAll(async () => {
    redis = await startRedis(ACL);
    const made = await forTheSuite(async () => {
      sample = await projectCopy(SAMPLE_PROJECT);
      pygments = await projectCopy(REAL_PROJECT);
      modes = await gitRepo({
        "pyproject.toml": '[tool.ruff.lint]\nselect = ["EXE"]\n',
        "run.py": "print('run')\n",
        "tool.py": "#!/usr/bin/env python3\nprint('tool')\n",
      });
      await chmod(path.join(modes, "run.py"), 0o755);
      for (let i = 0; i < 3; i++) workers.push(await startWorker(redis.url, { hide: [sample, pygments, modes] }));
    });
    removeDirs = made.remove;
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await redis?.stop();
    await removeDirs();
  });

  it("runs the workers where the projects are not visible", () => {
    for (const worker of workers) expect(worker.log()).toMatch(/^hidden: 0$/m);
  });

  it("lists the live workers: host, tool environment, slots, age; and never the password", async () => {
    const status = await jackpool(sample, ["workers", "status"], { env: queueEnv() });
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/^3 live workers on the queue at redis:\/\/\*\*\*@127\.0\.0\.1:\d+\/0$/m);
    expect(status.stdout).toMatch(/host\s+pid\s+tool environment\s+slots\s+running\s+age/);
    for (const worker of workers) expect(status.stdout).toMatch(new RegExp(`\\s${worker.pid}\\s+[0-9a-f]{16} \\(jackpool `));
    const json = await jackpool(sample, ["workers", "status", "--format", "json"], { env: queueEnv() });
    const listed = JSON.parse(json.stdout) as { pid: number; slots: number; environment: { tools: Record<string, { version: string }> } }[];
    expect(listed.map((worker) => worker.pid).sort()).toEqual(workers.map((worker) => worker.pid).sort());
    expect(Object.keys(listed[0]?.environment.tools ?? {})).toEqual(expect.arrayContaining(SHIPPED));
    for (const text of [status.stdout, status.stderr, json.stdout, ...workers.map((worker) => worker.log())])
      expect(text).not.toContain(PASSWORD);
  });

  it("reports what the local pool reports, on the example project, with the shipped tasks run by the workers", async () => {
    const local = await scanJson(sample, ["--all", "--no-cache", "--backend", "local"]);
    const before = workers.map((worker) => worker.ran().length);
    const queued = await scanJson(sample, ["--all", "--no-cache", "--backend", "queue", "--verbose"], { env: queueEnv() });
    expect(queued.run.exitCode).toBe(local.run.exitCode);
    expect(comparableReport(queued.report)).toBe(comparableReport(local.report));
    expect(queued.report.findings.length).toBeGreaterThan(10);
    const ran = workers.flatMap((worker, index) => worker.ran().slice(before[index]));
    expect(ran.map((line) => line.replace(/(#\d+)?: .*/, "")).sort()).toEqual([...SHIPPED].sort());
    expect(queued.run.stderr).toContain("queue: mypy runs here: its findings depend on the packages installed for the project");
    expect(queued.run.stderr).toContain("queue: semgrep runs here: its settings name files outside the project");
    expect(queued.run.stderr).not.toContain(PASSWORD);
    // Every content went to Redis once; a second scan asks, and uploads nothing.
    expect(queued.run.stderr).toMatch(/^queue: shipped 6 tasks in 1 tree of 1\d files; uploaded 1\d blobs Redis lacked \(\d+ KiB\); /m);
    const blobs = await redis.keys("jackpool:queue:blob:*");
    expect(blobs.length).toBeGreaterThanOrEqual(10);
    const again = await scanJson(sample, ["--all", "--no-cache", "--backend", "queue", "--verbose"], { env: queueEnv() });
    expect(comparableReport(again.report)).toBe(comparableReport(local.report));
    expect(again.run.stderr).toMatch(/^queue: shipped 6 tasks in 1 tree of 1\d files; uploaded 0 blobs Redis lacked \(0 KiB\); /m);
    expect(await redis.keys("jackpool:queue:blob:*")).toEqual(blobs);
  });

  it("reports what the local pool reports on a real project (pygments), its files shipped by content", async () => {
    const args = ["--all", "--no-cache", "--tools", "ruff,codespell,vulture", "--max-chunk-files", "400"];
    const local = await scanJson(pygments, [...args, "--backend", "local"]);
    const queued = await scanJson(pygments, [...args, "--backend", "queue"], { env: queueEnv() });
    expect(queued.run.exitCode).toBe(local.run.exitCode);
    expect(comparableReport(queued.report)).toBe(comparableReport(local.report));
    expect(brief(queued.report, "vulture").length).toBeGreaterThan(0);
    expect(brief(queued.report, "ruff").length).toBeGreaterThan(0);
  });

  it("ships a file's executable bit with its content: ruff's shebang checks report what they report here", async () => {
    const args = ["--all", "--no-cache", "--tools", "ruff"];
    const local = await scanJson(modes, [...args, "--backend", "local"]);
    const queued = await scanJson(modes, [...args, "--backend", "queue"], { env: queueEnv() });
    expect(brief(local.report, "ruff").sort()).toEqual(["run.py:1:EXE002", "tool.py:1:EXE001"]);
    expect(comparableReport(queued.report)).toBe(comparableReport(local.report));
  });

  it("never sends a task to a worker with another version of its tool; with none that matches, it runs here, said once", async () => {
    const older = await startWorker(redis.url, { hide: [sample, pygments], pathDirs: [OLDER_RUFF_BIN] });
    try {
      // The scanning side has the newer ruff: the older worker gets no ruff task.
      const newer = await scanJson(sample, ["--all", "--no-cache", "--backend", "queue", "--tools", "ruff"], { env: queueEnv() });
      expect(newer.run.exitCode).toBe(1);
      expect(older.ran()).toEqual([]);
      // The scanning side has the older ruff: only the older worker may run it.
      const before = workers.map((worker) => worker.ran().length);
      const local = await scanJson(sample, ["--all", "--no-cache", "--backend", "local", "--tools", "ruff"], {
        pathDirs: [OLDER_RUFF_BIN],
      });
      const queued = await scanJson(sample, ["--all", "--no-cache", "--backend", "queue", "--tools", "ruff"], {
        env: queueEnv(),
        pathDirs: [OLDER_RUFF_BIN],
      });
      expect(comparableReport(queued.report)).toBe(comparableReport(local.report));
      expect(older.ran()).toEqual(["ruff: completed"]);
      expect(workers.map((worker) => worker.ran().length)).toEqual(before);
    } finally {
      await older.stop();
    }
    // No worker has it: the scan says so in one line and runs it here.
    const alone = await scanJson(sample, ["--all", "--no-cache", "--backend", "queue", "--tools", "ruff"], {
      env: queueEnv(),
      pathDirs: [OLDER_RUFF_BIN],
    });
    const said = alone.run.stderr.split("\n").filter((line) => line.includes("no live worker has ruff"));
    expect(said).toEqual([
      expect.stringMatching(/^jackpool: warning: queue: no live worker has ruff \S+ with jackpool \S+; ruff runs on the local pool$/),
    ]);
    expect(brief(alone.report, "ruff").length).toBeGreaterThan(0);
  });

  it("a worker started with --until-idle serves a scan, then stops by itself: exit 0, its record withdrawn", async () => {
    // Its older ruff makes it the only worker a scan with that ruff can use.
    const idle = await startWorker(redis.url, { hide: [sample, pygments], pathDirs: [OLDER_RUFF_BIN], args: ["--until-idle", "10"] });
    try {
      const queued = await scanJson(sample, ["--all", "--no-cache", "--backend", "queue", "--tools", "ruff"], {
        env: queueEnv(),
        pathDirs: [OLDER_RUFF_BIN],
      });
      expect(queued.run.exitCode).toBe(1);
      expect(idle.ran()).toEqual(["ruff: completed"]);
      const ended = await idle.done;
      expect(ended.exitCode).toBe(0);
      expect(idle.log()).toMatch(/^worker: no task for 10 s; stopping$/m);
      const listed = JSON.parse((await jackpool(sample, ["workers", "status", "--format", "json"], { env: queueEnv() })).stdout) as {
        pid: number;
      }[];
      expect(listed.map((worker) => worker.pid)).not.toContain(idle.pid);
    } finally {
      await idle.stop();
    }
  });

  it("refuses a job whose paths escape the task's directory, and writes nothing there", async () => {
    const status = await jackpool(sample, ["workers", "status", "--format", "json"], { env: queueEnv() });
    const [first] = JSON.parse(status.stdout) as {
      environmentId: string;
      environment: { tools: Record<string, { version: string; python: string | null }> };
    }[];
    const ruff = first?.environment.tools.ruff;
    const client = createClient({ url: redis.url });
    await client.connect();
    const options = { connection: client as never, prefix: "jackpool:queue:bull" };
    const queue = new Queue(`tasks-${first?.environmentId ?? ""}`, options);
    const events = new QueueEvents(`tasks-${first?.environmentId ?? ""}`, options);
    await events.waitUntilReady();
    /** Puts a blob in the queue's Redis, as a scan would, and returns its hash. */
    const put = async (bytes: string): Promise<string> => {
      const hash = createHash("sha256").update(bytes).digest("hex");
      await client.set(`jackpool:queue:blob:${hash}`, bytes);
      return hash;
    };
    const content = await put("x = 1\n");
    const job = async (file: string, userArgs: string[] = []) =>
      queue.add("escape", {
        scan: "test",
        task: { id: "ruff", tool: "ruff", toolVersion: ruff?.version, python: ruff?.python, files: [], userArgs, timeoutMs: 10_000 },
        tree: await put(JSON.stringify({ files: [[file, content, 0]] })),
        root: "/project",
      });
    const target = path.join(workers[0]?.dir ?? "", "escaped.py");
    try {
      for (const file of [`../../../../../../..${target}`, target, "a/../../escaped.py"]) {
        const escaping = await job(file);
        await expect(escaping.waitUntilFinished(events, 30_000)).rejects.toThrow(
          "refused: its tree: files.0.0 escapes the task's directory",
        );
      }
      const forbidden = await job("a.py", ["--fix"]);
      await expect(forbidden.waitUntilFinished(events, 30_000)).rejects.toThrow(
        /^refused: argument "--fix": jackpool scan never lets a tool rewrite files/,
      );
      for (const worker of workers) expect(await readdir(worker.dir)).not.toContain("escaped.py");
      expect(await readdir(path.dirname(workers[0]?.dir ?? ""))).not.toContain("escaped.py");
    } finally {
      await events.close();
      await queue.close();
      await client.close();
    }
  });
});

/** TLS: a `rediss://` queue whose certificate the scan and the worker trust through NODE_EXTRA_CA_CERTS, as a user would. */
describe.skipIf(!hiding)("queue workers over TLS", () => {
  it("scans through a rediss:// queue with an ACL user; an untrusted certificate is one line and exit 2", async () => {
    const certs = await tempDir("jackpool-tls-");
    const openssl = (...args: string[]) => execa("openssl", args, { cwd: certs });
    await openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      "ca.key",
      "-out",
      "ca.crt",
      "-days",
      "1",
      "-subj",
      "/CN=jackpool-test-ca",
    );
    await openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    await writeFile(path.join(certs, "ext"), "subjectAltName=IP:127.0.0.1\n");
    await openssl(
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.crt",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.crt",
      "-days",
      "1",
      "-extfile",
      "ext",
    );
    const port = await freePort();
    const redis = await startRedis({
      port,
      args: [
        "--port",
        "0",
        "--tls-port",
        String(port),
        "--tls-cert-file",
        path.join(certs, "server.crt"),
        "--tls-key-file",
        path.join(certs, "server.key"),
        "--tls-ca-cert-file",
        path.join(certs, "ca.crt"),
        "--tls-auth-clients",
        "no",
        ...(ACL.args ?? []),
      ],
    });
    const url = `rediss://scanner:${PASSWORD}@127.0.0.1:${port}/0`;
    const trust = { NODE_EXTRA_CA_CERTS: path.join(certs, "ca.crt") };
    const root = await projectCopy(SAMPLE_PROJECT);
    const worker = await startWorker(url, { hide: [root], env: trust });
    try {
      const args = ["--all", "--no-cache", "--tools", "ruff"];
      const local = await scanJson(root, [...args, "--backend", "local"]);
      const queued = await scanJson(root, [...args, "--backend", "queue"], { env: { ...trust, JACKPOOL_QUEUE_URL: url } });
      expect(comparableReport(queued.report)).toBe(comparableReport(local.report));
      expect(worker.ran()).toEqual(["ruff: completed"]);
      const untrusted = await jackpool(root, ["scan", ...args, "--backend", "queue"], { env: { JACKPOOL_QUEUE_URL: url } });
      expect(untrusted.exitCode).toBe(2);
      expect(untrusted.stderr.trim()).toMatch(
        /^jackpool: --backend queue: cannot reach the queue's Redis at rediss:\/\/\*\*\*@127\.0\.0\.1:\d+\/0 \(self-signed certificate in certificate chain\)$/,
      );
      for (const text of [queued.run.stderr, untrusted.stderr, worker.log()]) expect(text).not.toContain(PASSWORD);
    } finally {
      await worker.stop();
      await redis.stop();
    }
  });
});

/**
 * The faults, with a codespell that takes its time: a wrapper that says a version of its own (so only the workers
 * that have it match), records its pid, sleeps, then runs the real codespell.
 */
describe.skipIf(!hiding)("queue workers: faults", () => {
  let redis: RedisServer;
  let sample: string;
  let slow: string;
  let pids: string;
  const workers: QueueWorker[] = [];
  const env = (): Record<string, string> => ({ JACKPOOL_QUEUE_URL: redis.url, JACKPOOL_TEST_PIDS: pids });
  const args = ["--all", "--no-cache", "--tools", "codespell", "--max-chunk-files", "5"];
  let local: Awaited<ReturnType<typeof scanJson>>;

  const toolPids = async (): Promise<number[]> => (await readFile(pids, "utf8").catch(() => "")).split("\n").filter(Boolean).map(Number);
  const waitFor = async (condition: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const removers: (() => Promise<void>)[] = [];
  const startSlowWorker = async (): Promise<void> => {
    const made = await forTheSuite(() => startWorker(redis.url, { hide: [sample], pathDirs: [slow], env: { JACKPOOL_TEST_PIDS: pids } }));
    workers.push(made.value);
    removers.push(made.remove);
  };

  beforeAll(async () => {
    redis = await startRedis();
    const made = await forTheSuite(async () => {
      sample = await projectCopy(SAMPLE_PROJECT);
      pids = path.join(await tempDir("jackpool-pids-"), "pids");
      slow = await fakeTools({
        codespell: `if [ "$1" = "--version" ]; then echo 9.9.9-slow; exit 0; fi
echo $$ >> "$JACKPOOL_TEST_PIDS"
sleep 4
exec "${path.join(VENV_BIN, "codespell")}" "$@"`,
      });
    });
    removers.push(made.remove);
    for (let i = 0; i < 2; i++) await startSlowWorker();
    // What every scan below must report: the local pool's, however its tasks are chunked.
    local = await scanJson(sample, [...args, "--backend", "local"], { pathDirs: [slow], env: env() });
  });
  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop().catch(() => undefined)));
    await redis?.stop();
    for (const remove of removers) await remove();
  });

  it("re-queues the task of a worker killed mid-task (kill -9), and the report is complete", async () => {
    await writeFile(pids, "");
    const scan = scanJson(sample, [...args, "--backend", "queue"], { pathDirs: [slow], env: env() });
    await waitFor(async () => (await toolPids()).length > 0, "a task to start on a worker");
    const status = JSON.parse((await jackpool(sample, ["workers", "status", "--format", "json"], { env: env() })).stdout) as {
      pid: number;
      running: unknown[];
    }[];
    const busy = status.find((worker) => worker.running.length > 0)?.pid ?? 0;
    expect(workers.map((worker) => worker.pid)).toContain(busy);
    process.kill(busy, "SIGKILL");
    const { report, run } = await scan;
    expect(run.exitCode).toBe(local.run.exitCode);
    expect(comparableReport(report)).toBe(comparableReport(local.report));
    const survivor = workers.find((worker) => worker.pid !== busy);
    expect(survivor?.ran().length).toBeGreaterThan(0);
    workers.splice(
      workers.findIndex((worker) => worker.pid === busy),
      1,
    );
    await startSlowWorker();
  });

  it("retries a task that failed by a worker's fault (its tool gone) on another worker", async () => {
    // Five tasks: while the two others sleep in theirs, the broken worker takes one.
    const many = [...args.slice(0, -1), "2"];
    // A third worker whose codespell is its own copy, removed once it started: every task it takes fails there.
    const own = await tempDir("jackpool-own-tool-");
    await cp(path.join(slow, "codespell"), path.join(own, "codespell"));
    const made = await forTheSuite(() => startWorker(redis.url, { hide: [sample], pathDirs: [own], env: { JACKPOOL_TEST_PIDS: pids } }));
    const broken = made.value;
    try {
      await rm(path.join(own, "codespell"));
      const { report, run } = await scanJson(sample, [...many, "--backend", "queue"], { pathDirs: [slow], env: env() });
      expect(run.exitCode).toBe(local.run.exitCode);
      expect(comparableReport(report)).toBe(comparableReport(local.report));
      expect(broken.log()).toMatch(/^worker: codespell#\d failed here: its codespell is gone: /m);
      expect(broken.ran()).toEqual([]);
    } finally {
      await broken.stop();
      await made.remove();
    }
  });

  it("cancels the tasks running on workers within a second of Ctrl-C", async () => {
    await writeFile(pids, "");
    const before = workers.map((worker) => worker.ran().length);
    const scan = execa(process.execPath, [JACKPOOL, "scan", ...args, "--backend", "queue", "--quiet"], {
      cwd: sample,
      reject: false,
      env: { ...env(), PATH: [slow, VENV_BIN, SYSTEM_PATH].join(path.delimiter) },
    });
    await waitFor(async () => (await toolPids()).length > 0, "a task to start on a worker");
    await new Promise((resolve) => setTimeout(resolve, 300)); // both workers' tasks under way
    const tools = await toolPids();
    scan.kill("SIGINT");
    const interrupted = Date.now();
    for (const tool of tools) await waitFor(async () => !(await running(tool, 0)), "the tools to stop", 10_000);
    const took = Date.now() - interrupted;
    expect(took).toBeLessThan(3000); // a second on a quiet machine (docs/benchmarks.md); slack for a loaded one
    expect((await scan).exitCode).toBe(130);
    expect(workers.flatMap((worker, index) => worker.ran().slice(before[index]))).not.toContain("codespell#1: completed");
  });

  it("ends with a complete report when Redis restarts mid-scan; the workers reconnect", async () => {
    await writeFile(pids, "");
    const scan = scanJson(sample, [...args, "--backend", "queue"], { pathDirs: [slow], env: env() });
    await waitFor(async () => (await toolPids()).length > 0, "a task to start on a worker");
    const { port } = redis;
    await redis.stop();
    redis = await startRedis({ port });
    const { report, run } = await scan;
    expect(run.exitCode).toBe(local.run.exitCode);
    // The same findings; the report notes each task that moved.
    const notes = report.tools.flatMap((tool) => tool.notes ?? []);
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes)
      expect(note).toMatch(/^codespell#\d: retried once because queue: the queue's Redis went away \(.*\); moved to the local pool$/);
    const withoutNotes = { ...report, tools: report.tools.map((tool) => ({ ...tool, notes: [] })) };
    expect(comparableReport(withoutNotes)).toBe(comparableReport(local.report));
    await waitFor(
      async () => /^2 live workers/m.test((await jackpool(sample, ["workers", "status"], { env: env() })).stdout),
      "the workers to reconnect",
      30_000,
    );
  });

  it("a worker told to stop while Redis is away stops within seconds, not when Redis comes back", async () => {
    const { port } = redis;
    await redis.stop();
    const [worker] = workers;
    if (!worker) throw new Error("no worker");
    await waitFor(() => Promise.resolve(/reconnecting$/m.test(worker.log())), "the worker to notice", 30_000);
    const told = Date.now();
    process.kill(worker.pid, "SIGTERM");
    const ended = await worker.done;
    // About 5 s (its bound on talking to Redis while stopping); generous for a loaded machine.
    expect(Date.now() - told).toBeLessThan(20_000);
    expect(ended.signal).toBeUndefined();
    expect(ended.exitCode).toBe(0);
    redis = await startRedis({ port });
  });
});
