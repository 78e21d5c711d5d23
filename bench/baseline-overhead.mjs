#!/usr/bin/env node
// Benchmark (issue 13): what the baseline costs a warm scan. On the pinned real project, with ruff selecting many
// rules so findings number in the thousands, `jackpool baseline create` accepts them all; then rounds alternate a warm
// `jackpool scan --all` holding the findings against the baseline with the same scan under `--no-baseline`. Every
// result comes from memory in both, so the difference is the baseline's own work: reading and checking the file,
// reading the lines of the findings, fingerprinting and matching. Prints Markdown.
//
// Usage: node bench/baseline-overhead.mjs [rounds] [ruff --select]   (after npm run build)
//   default: 9 rounds, --select E,F,W,B,UP,SIM,C4,PL,RUF,N,D; ALL gives a stress case of ~130,000 findings.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { committedRealProject } from "./real-project.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 9);
const select = process.argv[3] ?? "E,F,W,B,UP,SIM,C4,PL,RUF,N,D";
const PATH = [path.join(repo, ".venv/bin"), ...(process.env.PATH ?? "").split(":").filter((dir) => !dir.includes(".venv"))].join(":");

const work = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-baseline-"));
const project = path.join(work, "project");
committedRealProject(project);
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

function jackpool(args, expected) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [path.join(repo, "bin/jackpool.js"), ...args], {
    cwd: project,
    env: { ...process.env, PATH, NO_COLOR: "1" },
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (!expected.includes(result.status)) throw new Error(`jackpool ${args.join(" ")}: exit ${result.status}\n${result.stderr}`);
  return { seconds, stdout: result.stdout, stderr: result.stderr };
}

// Fill memory, then accept every finding.
const filled = JSON.parse(jackpool(["scan", "--all", "--quiet", "--format", "json", "--no-baseline"], [1]).stdout);
const created = jackpool(["baseline", "create", "--quiet"], [0]).stdout.trim();
const baselineBytes = statSync(path.join(project, ".jackpool-baseline.json")).size;

const scan = ["scan", "--all", "--quiet", "--format", "json"];
const results = { "warm scan, no baseline (--no-baseline)": [], "warm scan, held against the baseline": [] };
const held = [];
for (let round = 0; round < rounds; round++) {
  const without = () => results["warm scan, no baseline (--no-baseline)"].push(jackpool([...scan, "--no-baseline"], [1]).seconds);
  const withBaseline = () => {
    const run = jackpool([...scan, "--verbose"], [0]);
    results["warm scan, held against the baseline"].push(run.seconds);
    const line = /read in (\d+) ms, held in (\d+) ms/.exec(run.stderr);
    if (line) held.push(Number(line[1]) + Number(line[2]));
  };
  // The order alternates between rounds.
  if (round % 2 === 0) (without(), withBaseline());
  else (withBaseline(), without());
}
rmSync(work, { recursive: true, force: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(results["warm scan, no baseline (--no-baseline)"]);
console.log(
  `Rounds: ${rounds}. ${filled.summary.files} files, ${filled.findings.length} findings (ruff --select ${select}, complexipy, vulture, codespell); ${created}; ${(baselineBytes / 1e6).toFixed(1)} MB. Node ${process.versions.node}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}.\n`,
);
console.log("| run | median | vs no baseline |\n|---|---|---|");
for (const [name, values] of Object.entries(results))
  console.log(`| ${name} | ${median(values).toFixed(2)} s | ${(median(values) / base).toFixed(3)}× |`);
console.log(
  `\nThe baseline's own work inside the scan (read and check the file, hold the findings against it): median ${median(held)} ms.`,
);
