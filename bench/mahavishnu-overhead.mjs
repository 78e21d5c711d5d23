#!/usr/bin/env node
// Benchmark (issues 5 and 15): what the Mahavishnu path costs. The same cold scan (--no-cache) of the pinned real
// project, side by side in each round: on the local pool; with every tool on pools of the stand-in server
// (test/mahavishnu-standin, shell workers, on this machine); routed (the plan's lists: refurb and complexipy on
// pools, the rest local); and, when its environment is installed (scripts/setup-mahavishnu-real.sh), with every
// tool on pools of the real Mahavishnu 0.11.0 (test/mahavishnu-real/start-server.sh: its terminals are tmux
// sessions). Two workers each, autoscaling off, so only the path differs. Then the probe's time: against each
// server (GET /health and the MCP initialize), and when no server listens, which is what `--backend auto` adds to
// a scan without one. Prints Markdown.
//
// Usage: node bench/mahavishnu-overhead.mjs [rounds]   (after npm run build and scripts/setup-standin.sh)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { committedRealProject } from "./real-project.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 3);
const cli = path.join(repo, "bin/jackpool.js");
const env = { ...process.env, PATH: `${path.join(repo, ".venv/bin")}:${process.env.PATH}`, NO_COLOR: "1" };
const { probeMahavishnu } = await import(pathToFileURL(path.join(repo, "build/js/src/backends/mahavishnu/probe.js")).href);

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts a server (`command`), waits until its /health answers, and says how long that took. */
async function startServer(name, command, args, env) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(command, [...args(port)], { env: { ...process.env, ...env }, stdio: "ignore" });
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      if (performance.now() - started > 180_000 || child.exitCode !== null) throw new Error(`${name} did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, url, child, startMs: performance.now() - started };
}

const work = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-mahavishnu-"));
// The stand-in, with its rate limit lifted: 60 pool_execute calls a minute would make rounds wait on it.
const standin = await startServer(
  "the stand-in",
  path.join(repo, ".venv-standin/bin/python"),
  (port) => [path.join(repo, "test/mahavishnu-standin/server.py"), "--port", String(port)],
  {
    MAHAVISHNU_STANDIN_RATE_LIMIT: "100000",
    HOME: work,
  },
);
// The real server keeps its limit (a scan hands over 5 tasks); its shells read no one's rc files either.
const real = existsSync(path.join(repo, ".cache/mahavishnu-real/venv/.requirements-installed"))
  ? await startServer(
      "Mahavishnu 0.11.0",
      path.join(repo, "test/mahavishnu-real/start-server.sh"),
      (port) => [String(port), path.join(work, "real")],
      {},
    )
  : undefined;

const project = path.join(work, "project");
committedRealProject(project);

const tools = ["refurb", "complexipy", "ruff", "vulture", "codespell"];
function config(pooled, url) {
  const local = tools.filter((tool) => !pooled.includes(tool));
  return `pool_scanning:
  mcp_server_url: "${url}"
  pool: { min_workers: 1, max_workers: 8, worker_type: terminal-shell }
  pooled_tools: [${pooled.join(", ")}]
  local_tools: [${local.join(", ")}]
  autoscaling: { enabled: false }
`;
}
const configs = { all: path.join(work, "all-pooled.yaml"), routed: path.join(work, "routed.yaml"), real: path.join(work, "real.yaml") };
writeFileSync(configs.all, config(tools, standin.url));
writeFileSync(configs.routed, config(["refurb", "complexipy"], standin.url));
if (real) writeFileSync(configs.real, config(tools, real.url));

function scan(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, "scan", "--all", "--no-cache", "--quiet", "--jobs", "2", "--format", "json", ...args], {
    cwd: project,
    env,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0 && result.status !== 1) throw new Error(`scan ${args.join(" ")}: exit ${result.status}\n${result.stderr}`);
  // A warning means a task moved to the local pool: that round would not measure the path it names.
  if (result.stderr !== "") throw new Error(`scan ${args.join(" ")}: ${result.stderr}`);
  const report = JSON.parse(result.stdout);
  return { seconds, findings: report.summary.findings, tasks: report.summary.tasks };
}

const runs = {
  "local pool (`--backend local`)": () => scan(["--backend", "local", "--config", configs.all]),
  "every tool on stand-in pools": () => scan(["--backend", "mahavishnu", "--config", configs.all]),
  "routed: refurb, complexipy on pools, the rest local": () => scan(["--backend", "mahavishnu", "--config", configs.routed]),
  ...(real && { "every tool on real Mahavishnu 0.11 pools": () => scan(["--backend", "mahavishnu", "--config", configs.real]) }),
};
const results = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
const order = Object.entries(runs);

/** 20 probes of `url`, each to its answer (and the session's end when there is one), in ms. */
async function probeTimes(url, expectAvailable) {
  const times = [];
  for (let round = 0; round < 20; round++) {
    const started = performance.now();
    const probe = await probeMahavishnu(url);
    times.push(performance.now() - started);
    if (probe.available !== expectAvailable) throw new Error(`probe of ${url}: ${probe.available ? "a server answered" : probe.reason}`);
    if (probe.available) await probe.client.disconnect();
  }
  return times;
}
let probes;
try {
  for (let round = 0; round < rounds; round++) {
    // Each round starts with the next contender, so none is always the first (or the last) on a busy machine.
    for (const [name, run] of [...order.slice(round % order.length), ...order.slice(0, round % order.length)]) results[name].push(run());
  }
  probes = {
    "the stand-in": await probeTimes(standin.url, true),
    ...(real && { "Mahavishnu 0.11.0": await probeTimes(real.url, true) }),
    "nothing listening (GET /health refused)": await probeTimes(`http://127.0.0.1:${await freePort()}`, false),
  };
} finally {
  standin.child.kill("SIGKILL");
  if (real) {
    // Its workers' terminals are sessions of a tmux server of its own, which outlives it.
    real.child.kill("SIGKILL");
    spawnSync("tmux", ["-L", `jackpool-mahavishnu-real-${real.port}`, "kill-server"]);
    rmSync(path.join(process.env.TMUX_TMPDIR ?? "/tmp", `tmux-${process.getuid()}`, `jackpool-mahavishnu-real-${real.port}`), {
      force: true,
    });
  }
  rmSync(work, { recursive: true, force: true, maxRetries: 5 });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(results["local pool (`--backend local`)"].map((run) => run.seconds));
console.log(
  `Rounds: ${rounds}. Node ${process.versions.node}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}. pygments 2.19.2, cold (--no-cache), --jobs 2.\n`,
);
console.log("| scan | median | rounds | vs local | findings | tasks |\n|---|---|---|---|---|---|");
for (const [name, values] of Object.entries(results)) {
  const seconds = values.map((run) => run.seconds);
  const row = [
    name,
    `${median(seconds).toFixed(2)} s`,
    seconds.map((value) => value.toFixed(2)).join(" / "),
    `${(median(seconds) / base).toFixed(2)}×`,
    values[0].findings,
    values[0].tasks,
  ];
  console.log(`| ${row.join(" | ")} |`);
}
console.log(
  `\nServers answered /health after: the stand-in ${(standin.startMs / 1000).toFixed(1)} s${real ? `, Mahavishnu 0.11.0 ${(real.startMs / 1000).toFixed(1)} s` : " (Mahavishnu 0.11.0 not installed: scripts/setup-mahavishnu-real.sh)"}.\n`,
);
console.log("| probe of | median of 20 | max |\n|---|---|---|");
for (const [name, times] of Object.entries(probes))
  console.log(`| ${name} | ${median(times).toFixed(1)} ms | ${Math.max(...times).toFixed(1)} ms |`);
