#!/usr/bin/env node
// Benchmark (issue 2): `jackpool scan --all` vs the same five tools run one after another, directly, on the
// same files with the same options (what crackerjack does). Cold caches before every run; the two
// contenders alternate within each round so machine noise hits both alike. Prints a Markdown table.
//
// Usage: node bench/scan-vs-sequential.mjs [rounds] [project-dir]
//   default project: the pinned real project from scripts/fetch-real-project.sh (pygments 2.19.2)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { committedRealProject, realProjectSource } from "./real-project.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { adapterFor } = await import(path.join(repo, "build/js/src/tools/registry.js"));
const { filesForTool } = await import(path.join(repo, "build/js/src/scan/prepare-tools.js"));
const { selectFiles } = await import(path.join(repo, "build/js/src/files/select.js"));

const rounds = Number(process.argv[2] ?? 3);
const source = process.argv[3] ?? realProjectSource();
const tools = ["ruff", "refurb", "complexipy", "vulture", "codespell"];
const venvBin = path.join(repo, ".venv/bin");
const env = { ...process.env, PATH: `${venvBin}:${process.env.PATH}`, NO_COLOR: "1", PYTHONIOENCODING: "utf-8" };

const work = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-"));
const project = path.join(work, "project");
committedRealProject(project, source);

// The sequential contender: one shell script running each tool once over all its files, as jackpool's adapters would.
const files = await selectFiles(project, { mode: "all" }, []);
const quote = (arg) => `'${arg.replaceAll("'", "'\\''")}'`;
const script = ["#!/bin/sh"];
const refurbOnly = ["#!/bin/sh"];
for (const tool of tools) {
  const adapter = adapterFor(tool);
  const taskDir = path.join(work, `task-${tool}`);
  script.push(`mkdir -p ${quote(taskDir)}`);
  const argv = [path.join(venvBin, adapter.executable), ...adapter.buildArgs(filesForTool(adapter, {}, files), { taskDir, userArgs: [] })];
  script.push(`${argv.map(quote).join(" ")} >/dev/null 2>&1`);
  if (tool === "refurb") refurbOnly.push(script.at(-2), script.at(-1));
}
const sequentialScript = path.join(work, "sequential.sh");
writeFileSync(sequentialScript, `${script.join("\n")}\n`);
// The floor on this machine: refurb alone, one process, is most of the work and cannot be split cheaply.
const refurbScript = path.join(work, "refurb-only.sh");
writeFileSync(refurbScript, `${refurbOnly.join("\n")}\n`);

function coldCaches() {
  // jackpool's own memory cache too: this benchmark compares cold scans (bench/memory-vs-precommit.mjs measures warm ones).
  for (const cache of [".mypy_cache", ".ruff_cache", ".complexipy_cache", ".crackerjack"])
    rmSync(path.join(project, cache), { recursive: true, force: true });
}

/** Wall and CPU seconds of a command and all its children, from GNU time. */
function timed(command, args) {
  coldCaches();
  const timeFile = path.join(work, "time");
  const result = spawnSync("/usr/bin/time", ["-o", timeFile, "-f", "%e %U %S", command, ...args], {
    cwd: project,
    env,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const [wall, user, sys] = readFileSync(timeFile, "utf8").trim().split("\n").pop().split(" ").map(Number);
  return { wall, cpu: user + sys, status: result.status, stdout: result.stdout };
}

const results = { sequential: [], jackpool: [], refurb: [] };
let findings;
for (let round = 0; round < rounds; round++) {
  const order = round % 2 === 0 ? ["sequential", "jackpool", "refurb"] : ["refurb", "jackpool", "sequential"];
  for (const contender of order) {
    const run =
      contender === "sequential"
        ? timed("sh", [sequentialScript])
        : contender === "refurb"
          ? timed("sh", [refurbScript])
          : timed("node", [
              path.join(repo, "bin/jackpool.js"),
              "scan",
              "--all",
              "--no-cache",
              "--quiet",
              "--format",
              "json",
              "--tools",
              tools.join(","),
            ]);
    if (contender === "jackpool") {
      const report = JSON.parse(run.stdout);
      if (report.exitCode === 2) throw new Error(`jackpool failed: ${JSON.stringify(report.tools)}`);
      findings = report.summary.findings;
    }
    results[contender].push(run);
    process.stderr.write(`round ${round + 1} ${contender}: ${run.wall.toFixed(2)} s wall, ${run.cpu.toFixed(2)} s CPU\n`);
  }
}
rmSync(work, { recursive: true, force: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const cores = os.availableParallelism();
const row = (name, runs) => {
  const wall = median(runs.map((run) => run.wall));
  const cpu = median(runs.map((run) => run.cpu));
  return { name, wall, cpu, utilisation: cpu / (wall * cores) };
};
const sequential = row("sequential (one tool after another)", results.sequential);
const jackpool = row("jackpool scan --all", results.jackpool);
const refurb = row("refurb alone (the floor: one process)", results.refurb);
console.log(
  `project: ${path.basename(source)} (${files.length} files), tools: ${tools.join(", ")}, ${rounds} rounds, medians, ${cores} cores, ${os.cpus()[0]?.model ?? "cpu"}`,
);
console.log(`jackpool findings: ${findings}`);
console.log("");
console.log("| contender | wall (s) | CPU (s) | CPU utilisation |");
console.log("|---|---|---|---|");
for (const r of [sequential, jackpool, refurb])
  console.log(`| ${r.name} | ${r.wall.toFixed(2)} | ${r.cpu.toFixed(2)} | ${(r.utilisation * 100).toFixed(0)}% |`);
console.log("");
console.log(`ratio jackpool / sequential wall time: ${(jackpool.wall / sequential.wall).toFixed(2)} (goal <= 0.60)`);
console.log(
  `ratio refurb alone / sequential: ${(refurb.wall / sequential.wall).toFixed(2)}; jackpool / refurb alone: ${(jackpool.wall / refurb.wall).toFixed(2)}`,
);
