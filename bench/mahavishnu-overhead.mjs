#!/usr/bin/env node
// Benchmark (issue 5): what the Mahavishnu path costs. The same cold scan (--no-cache) of the pinned real
// project, side by side in each round: on the local pool; with every tool on pools of the stand-in server
// (test/mahavishnu-standin, shell workers, on this machine); and routed (the plan's lists: refurb and
// complexipy on pools, the rest local). Two workers each, autoscaling off, so only the path differs.
// Then the probe's time when no server listens, which is what `--backend auto` adds to a scan without one.
// Prints Markdown.
//
// Usage: node bench/mahavishnu-overhead.mjs [rounds]   (after npm run build and scripts/setup-standin.sh)
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

// The stand-in, with its rate limit lifted: 60 pool_execute calls a minute would make rounds wait on it.
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const standin = spawn(
  path.join(repo, ".venv-standin/bin/python"),
  [path.join(repo, "test/mahavishnu-standin/server.py"), "--port", String(port)],
  {
    env: { ...process.env, MAHAVISHNU_STANDIN_RATE_LIMIT: "100000" },
    stdio: "ignore",
  },
);
for (let tries = 0; ; tries++) {
  try {
    if ((await fetch(`${url}/health`)).ok) break;
  } catch {
    if (tries > 600) throw new Error("the stand-in server did not start");
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}

const work = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-mahavishnu-"));
const project = path.join(work, "project");
committedRealProject(project);

const tools = ["refurb", "complexipy", "ruff", "vulture", "codespell"];
function config(pooled) {
  const local = tools.filter((tool) => !pooled.includes(tool));
  return `pool_scanning:
  mcp_server_url: "${url}"
  pool: { min_workers: 1, max_workers: 8, worker_type: terminal-shell }
  pooled_tools: [${pooled.join(", ")}]
  local_tools: [${local.join(", ")}]
  autoscaling: { enabled: false }
`;
}
const configs = { all: path.join(work, "all-pooled.yaml"), routed: path.join(work, "routed.yaml") };
writeFileSync(configs.all, config(tools));
writeFileSync(configs.routed, config(["refurb", "complexipy"]));

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
  const report = JSON.parse(result.stdout);
  return { seconds, findings: report.summary.findings, tasks: report.summary.tasks };
}

const runs = {
  "local pool (`--backend local`)": () => scan(["--backend", "local", "--config", configs.all]),
  "every tool on stand-in pools": () => scan(["--backend", "mahavishnu", "--config", configs.all]),
  "routed: refurb, complexipy on pools, the rest local": () => scan(["--backend", "mahavishnu", "--config", configs.routed]),
};
const results = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
const order = Object.entries(runs);
for (let round = 0; round < rounds; round++) {
  // Each round starts with the next contender, so none is always the first (or the last) on a busy machine.
  for (const [name, run] of [...order.slice(round % order.length), ...order.slice(0, round % order.length)]) results[name].push(run());
}

const probes = [];
const nobody = `http://127.0.0.1:${await freePort()}`;
for (let round = 0; round < 20; round++) {
  const started = performance.now();
  const probe = await probeMahavishnu(nobody);
  probes.push(performance.now() - started);
  if (probe.available) throw new Error("something listens on the probe's port");
}
standin.kill("SIGKILL");
rmSync(work, { recursive: true, force: true });

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
  `\nProbe with nothing listening (GET /health refused), median of 20: ${median(probes).toFixed(1)} ms (max ${Math.max(...probes).toFixed(1)} ms).`,
);
