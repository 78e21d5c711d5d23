#!/usr/bin/env node
// Benchmark (issue 16): the queue backend on this machine. A large real project (Django 5.1.4's sdist: 2,788 Python
// files, 6,810 files in all) with the per-file tools, every result computed (--no-cache): the local pool against the
// queue with 1 and 2 `jackpool worker`s on a real redis-server, side by side in each round; then the upload cost,
// cold (an empty Redis and empty worker caches) against warm (every content already there). Reports must be equal.
// It also prints the measured per-task costs, from which docs/benchmarks.md models what N machines would give.
// Prints Markdown.
//
// Usage: node bench/queue.mjs [rounds] [name==version[:sdist]] [tools] [max chunk files] [other bin/jackpool.js]
//   (after npm run build). With another build's bin/jackpool.js (a worktree of an earlier commit, built), each round
//   also scans through 1 worker with that build as the scanning side: the coordinator's CPU, side by side.
//   default: 3 rounds, django==5.1.4:sdist, ruff,codespell,complexipy,gitleaks, --max-chunk-files 400 (gitleaks's
//   cost model takes Django's 6,810 files for a 2 s task, and it is 20 s: without a bound it is one task that no number
//   of workers can spread); workers have 2 slots each.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { committedRealProject, realProjectSource } from "./real-project.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 3);
const [spec, kind = "wheel"] = (process.argv[3] ?? "django==5.1.4:sdist").split(":");
const [projectName, projectVersion] = spec.split("==");
const tools = process.argv[4] ?? "ruff,codespell,complexipy,gitleaks";
const maxChunkFiles = process.argv[5] ?? "400";
const otherJackpool = process.argv[6];
const SLOTS = 2;
const PATH = [path.join(repo, ".venv/bin"), ...(process.env.PATH ?? "").split(":").filter((dir) => !dir.includes(".venv"))].join(":");
const JACKPOOL = path.join(repo, "bin/jackpool.js");

const work = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-queue-"));
const project = path.join(work, "project");
committedRealProject(project, realProjectSource(projectName, projectVersion, kind));
writeFileSync(path.join(project, ".crackerjack.yaml"), "pool_scanning:\n  enabled: false\n");

const port = await new Promise((resolve) => {
  const server = net.createServer().listen(0, "127.0.0.1", () => {
    const { port: free } = server.address();
    server.close(() => resolve(free));
  });
});
const url = `redis://127.0.0.1:${port}/0`;
const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
  stdio: "ignore",
});
const redisCli = (...args) => spawnSync("redis-cli", ["-p", String(port), ...args], { encoding: "utf8" });
for (let tries = 0; redisCli("PING").stdout.trim() !== "PONG"; tries++) {
  if (tries > 200) throw new Error("redis-server did not start");
  await new Promise((resolve) => setTimeout(resolve, 50));
}

// GNU time gives the scanning process's CPU time (user + system); workers' CPU is theirs.
const TIME_FORMAT = "jackpool-bench-cpu %U %S";
function scan(backend, jackpool = JACKPOOL) {
  const started = process.hrtime.bigint();
  const result = spawnSync(
    "/usr/bin/time",
    [
      "-f",
      TIME_FORMAT,
      process.execPath,
      jackpool,
      "scan",
      "--all",
      "--no-cache",
      "--tools",
      tools,
      "--max-chunk-files",
      maxChunkFiles,
      "--format",
      "json",
      "--backend",
      backend,
      "--verbose",
    ],
    { cwd: project, env: { ...process.env, PATH, NO_COLOR: "1", JACKPOOL_QUEUE_URL: url }, encoding: "utf8", maxBuffer: 1 << 30 },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (![0, 1].includes(result.status)) throw new Error(`scan --backend ${backend}: exit ${result.status}\n${result.stderr}`);
  const cpu = /jackpool-bench-cpu ([\d.]+) ([\d.]+)/.exec(result.stderr);
  const report = JSON.parse(result.stdout);
  const shipped =
    /queue: shipped (\d+) tasks? in \d+ trees? of (\d+) files?; uploaded (\d+) blobs? Redis lacked \((\d+) KiB\); (\d+) ms/.exec(
      result.stderr,
    );
  return {
    seconds,
    cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN,
    findings: JSON.stringify(report.findings),
    tasks: (result.stderr.match(/^task \S+:/gm) ?? []).length,
    shipped: shipped && { tasks: +shipped[1], files: +shipped[2], uploaded: +shipped[3], kib: +shipped[4], ms: +shipped[5] },
  };
}

/** Starts `count` workers (their blob caches kept across rounds, under the bench's directory) and waits until they serve. */
async function startWorkers(count, first = 0) {
  const workers = [];
  for (let index = first; index < first + count; index++) {
    const home = path.join(work, `worker-${index}`);
    mkdirSync(path.join(home, "tmp"), { recursive: true });
    const child = spawn(process.execPath, [JACKPOOL, "worker", "--slots", String(SLOTS)], {
      env: { ...process.env, PATH, JACKPOOL_QUEUE_URL: url, XDG_CACHE_HOME: path.join(home, "cache"), TMPDIR: path.join(home, "tmp") },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const worker = { child, log: "" };
    child.stderr.on("data", (chunk) => (worker.log += chunk));
    while (!/^worker: \d+ slots? on /m.test(worker.log)) {
      if (child.exitCode !== null) throw new Error(`worker exited: ${worker.log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    workers.push(worker);
  }
  return workers;
}
async function stopWorkers(workers) {
  await Promise.all(
    workers.map(
      ({ child }) => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once("exit", resolve), child.kill("SIGTERM")))),
    ),
  );
}
/** The per-task costs a worker logged: laying the tree out and running the tool, in ms. */
function taskCosts(workers) {
  return workers.flatMap(({ log }) =>
    [...log.matchAll(/laid out in (\d+) ms, ran in (\d+) ms/g)].map((match) => ({ layout: +match[1], run: +match[2] })),
  );
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const reference = scan("local");
const check = (result, what) => {
  if (result.findings !== reference.findings) throw new Error(`${what}: the findings differ from the local pool's`);
};

// Upload, cold then warm: an empty Redis and empty worker caches, then the same scan again.
redisCli("FLUSHALL");
for (let index = 0; index < 2; index++) rmSync(path.join(work, `worker-${index}`), { recursive: true, force: true });
let workers = await startWorkers(1);
// spawnSync holds this process's event loop: the workers' lines arrive once it is free again.
const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
const cold = scan("queue");
check(cold, "cold");
await settle();
const coldCosts = taskCosts(workers);
workers[0].log = "";
const warm = scan("queue");
check(warm, "warm");
await settle();
const warmCosts = taskCosts(workers);
await stopWorkers(workers);

const times = { local: [], queue1: [], queue2: [], other1: [] };
const cpus = { local: [], queue1: [], queue2: [], other1: [] };
const record = (name, result) => {
  check(result, name);
  times[name].push(result.seconds);
  cpus[name].push(result.cpu);
};
let tasks = {};
for (let round = 0; round < rounds; round++) {
  record("local", scan("local"));
  workers = await startWorkers(1);
  const one = scan("queue");
  record("queue1", one);
  if (otherJackpool) record("other1", scan("queue", otherJackpool));
  workers.push(...(await startWorkers(1, 1)));
  const two = scan("queue");
  record("queue2", two);
  tasks = { one: one.tasks, two: two.tasks };
  await stopWorkers(workers);
}
redis.kill();
rmSync(work, { recursive: true, force: true });

const base = median(times.local);
const sum = (values, key) => values.reduce((total, value) => total + value[key], 0);
const lines = [
  `### Queue: ${projectName} ${projectVersion} (${kind}), --tools ${tools} --max-chunk-files ${maxChunkFiles}, --no-cache, ${rounds} rounds, medians`,
  "",
  "| contender | wall | vs local | scanning process CPU (user + sys) |",
  "|---|---|---|---|",
  `| local pool (${os.availableParallelism()} threads) | ${base.toFixed(2)} s | 1.00× | ${median(cpus.local).toFixed(2)} s |`,
  `| queue, 1 worker × ${SLOTS} slots (${tasks.one} tasks) | ${median(times.queue1).toFixed(2)} s | ${(median(times.queue1) / base).toFixed(2)}× | ${median(cpus.queue1).toFixed(2)} s |`,
  `| queue, 2 workers × ${SLOTS} slots (${tasks.two} tasks) | ${median(times.queue2).toFixed(2)} s | ${(median(times.queue2) / base).toFixed(2)}× | ${median(cpus.queue2).toFixed(2)} s |`,
  ...(otherJackpool
    ? [
        `| queue, 1 worker, scanning side ${otherJackpool} | ${median(times.other1).toFixed(2)} s | ${(median(times.other1) / base).toFixed(2)}× | ${median(cpus.other1).toFixed(2)} s |`,
      ]
    : []),
  "",
  "| upload | wall | tasks | files in the tree | blobs uploaded | bytes | scan: hashing + shipping | worker: fetching + laying out, summed over tasks | worker: tools, summed over tasks |",
  "|---|---|---|---|---|---|---|---|---|",
  ...[
    ["cold (empty Redis, empty worker cache)", cold, coldCosts],
    ["warm (every content already there)", warm, warmCosts],
  ].map(
    ([name, result, costs]) =>
      `| ${name} | ${result.seconds.toFixed(2)} s | ${result.shipped?.tasks} | ${result.shipped?.files} | ${result.shipped?.uploaded} | ${result.shipped?.kib} KiB | ${result.shipped?.ms} ms | ${sum(costs, "layout")} ms | ${sum(costs, "run")} ms |`,
  ),
  "",
  `Every queue report's findings equal the local pool's (${JSON.parse(reference.findings).length} findings).`,
];
console.log(lines.join("\n"));
