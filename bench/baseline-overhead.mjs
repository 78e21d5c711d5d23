#!/usr/bin/env node
// Benchmark (issue 13): what the baseline costs a warm scan. On the pinned real project, with ruff selecting many
// rules so findings number in the thousands, `jackpool baseline create` accepts them all; then rounds alternate a warm
// `jackpool scan --all` holding the findings against the baseline with the same scan under `--no-baseline`. Every
// result comes from memory in both, so the difference is the baseline's own work: reading and checking the file,
// reading the lines of the findings, fingerprinting and matching. Prints Markdown.
//
// Usage: node bench/baseline-overhead.mjs [rounds] [ruff --select] [project==version]   (after npm run build)
//   default: 9 rounds, --select E,F,W,B,UP,SIM,C4,PL,RUF,N,D, the pinned pygments; ALL gives a stress case of ~130,000
//   findings; networkx==3.5 (574 files) is the large project the issue asks for.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { committedRealProject, realProjectSource } from "./real-project.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 9);
const select = process.argv[3] ?? "E,F,W,B,UP,SIM,C4,PL,RUF,N,D";
const [projectName, projectVersion] = (process.argv[4] ?? "pygments==2.19.2").split("==");
const PATH = [path.join(repo, ".venv/bin"), ...(process.env.PATH ?? "").split(":").filter((dir) => !dir.includes(".venv"))].join(":");

const work = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-baseline-"));
const project = path.join(work, "project");
committedRealProject(project, realProjectSource(projectName, projectVersion));
writeFileSync(
  path.join(project, ".crackerjack.yaml"),
  `pool_scanning:
  enabled: false
  pooled_tools: [complexipy]
  local_tools: [ruff, vulture, codespell]
  tools:
    ruff:
      args: ["--select", "${select}"]
`,
);

// GNU time gives each run's CPU time (user + system), steadier than wall time on a busy machine.
const TIME_FORMAT = "jackpool-bench-cpu %U %S";

function jackpool(args, expected) {
  const started = process.hrtime.bigint();
  const result = spawnSync("/usr/bin/time", ["-f", TIME_FORMAT, process.execPath, path.join(repo, "bin/jackpool.js"), ...args], {
    cwd: project,
    env: { ...process.env, PATH, NO_COLOR: "1" },
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!expected.includes(result.status)) throw new Error(`jackpool ${args.join(" ")}: exit ${result.status}\n${result.stderr}`);
  const cpu = /jackpool-bench-cpu ([\d.]+) ([\d.]+)/.exec(result.stderr);
  return { seconds, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN, stdout: result.stdout, stderr: result.stderr };
}

// Fill memory, then accept every finding; then a change adds one, so both scans fail (exit 1) and do the same work
// after the report (a passing scan also records its commit).
const filled = JSON.parse(jackpool(["scan", "--all", "--quiet", "--format", "json", "--no-baseline"], [1]).stdout);
const created = jackpool(["baseline", "create", "--quiet"], [0]).stdout.trim();
const baselineBytes = statSync(path.join(project, ".jackpool-baseline.json")).size;
writeFileSync(path.join(project, "bench_new_finding.py"), "import os\n");
execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", "add", "-A"], { cwd: project });
execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "a new finding"], { cwd: project });
const added = JSON.parse(jackpool(["scan", "--all", "--quiet", "--format", "json"], [1]).stdout);
const fresh = added.findings.filter((finding) => finding.baseline === "new").length;

const scan = ["scan", "--all", "--quiet", "--format", "json"];
const WITHOUT = "warm scan, no baseline (`--no-baseline`)";
const WITH = "warm scan, held against the baseline (holding remembered)";
const AFRESH = "warm scan, held against the baseline (holding worked out)";
const CONTENDERS = [WITHOUT, WITH, AFRESH];
const results = Object.fromEntries(CONTENDERS.map((name) => [name, []]));
const cpu = Object.fromEntries(CONTENDERS.map((name) => [name, []]));
const held = Object.fromEntries(CONTENDERS.map((name) => [name, []]));
// The last scan's holding is remembered in .crackerjack/: removing it makes the scan match every finding again, as
// the first scan after an edit or a baseline update does.
const remembered = path.join(project, ".crackerjack", "baseline-held.json");
const runs = {
  [WITHOUT]: () => jackpool([...scan, "--no-baseline"], [1]),
  [WITH]: () => jackpool([...scan, "--verbose"], [1]),
  [AFRESH]: () => (rmSync(remembered, { force: true }), jackpool([...scan, "--verbose"], [1])),
};
for (let round = 0; round < rounds; round++) {
  // The order rotates between rounds.
  for (let turn = 0; turn < CONTENDERS.length; turn++) {
    const name = CONTENDERS[(round + turn) % CONTENDERS.length];
    const run = runs[name]();
    results[name].push(run.seconds);
    cpu[name].push(run.cpu);
    const line = /(?:held|remembered) in (\d+) ms/.exec(run.stderr);
    if (line) held[name].push(Number(line[1]));
  }
}
rmSync(work, { recursive: true, force: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const min = (values) => Math.min(...values);
console.log(
  `Rounds: ${rounds}. ${projectName} ${projectVersion}: ${filled.summary.files} files, ${filled.findings.length} findings (ruff --select ${select}, complexipy, vulture, codespell); ${created}; ${(baselineBytes / 1e6).toFixed(1)} MB; then a commit adding ${fresh} new finding${fresh === 1 ? "" : "s"}. Node ${process.versions.node}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}.\n`,
);
// The minimum is what a run costs when nothing else competes for the cores; the median, what it costs here.
console.log("| run | statistic | wall | vs no baseline | CPU (user + sys) | vs no baseline |\n|---|---|---|---|---|---|");
for (const [label, statistic] of [
  ["median", median],
  ["minimum", min],
])
  for (const name of CONTENDERS)
    console.log(
      `| ${name} | ${label} | ${statistic(results[name]).toFixed(3)} s | ${(statistic(results[name]) / statistic(results[WITHOUT])).toFixed(3)}× | ${statistic(cpu[name]).toFixed(2)} s | ${(statistic(cpu[name]) / statistic(cpu[WITHOUT])).toFixed(3)}× |`,
    );
console.log(
  `\nHolding the findings against the baseline (after the scan, the file already read and checked; \`--verbose\`): median ${median(held[WITH])} ms remembered, ${median(held[AFRESH])} ms worked out.`,
);
