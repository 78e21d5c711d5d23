#!/usr/bin/env node
// Benchmark (issue 3): what the memory cache buys. Side by side in each round, on each pinned real project:
// a cold full scan (empty cache, no tool caches), a warm scan with nothing changed (compiled tree and single
// binary), a scan after one file changed, and `pre-commit run --all-files` running the same tools as local hooks
// (pre-commit has no result cache). Done for three tool sets. Prints Markdown.
//
// Usage: node bench/memory-vs-precommit.mjs [rounds] [project...]   (projects: pygments networkx; default both)
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { preCommitConfig, toolsNamed } from "./local-hooks.mjs";
import { committedRealProject, realProjectSource } from "./real-project.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 3);
// The tests' project, and a larger one (574 Python files) where every module imports the package.
const PROJECTS = {
  pygments: { version: "2.19.2", changedFile: "pygments/lexers/rebol.py" },
  networkx: { version: "3.5", changedFile: "networkx/algorithms/boundary.py" },
};
const projects = process.argv.length > 3 ? process.argv.slice(3) : Object.keys(PROJECTS);
const venvBin = path.join(repo, ".venv/bin");
execFileSync(path.join(venvBin, "pip"), ["install", "--quiet", "-r", path.join(repo, "bench/requirements.txt")]);
const env = { ...process.env, PATH: `${venvBin}:${process.env.PATH}`, NO_COLOR: "1" };
const work = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-memory-"));

const TOOL_SETS = {
  "all five tools": "ruff,refurb,complexipy,vulture,codespell",
  "per-file tools (ruff, refurb, complexipy, codespell)": "ruff,refurb,complexipy,codespell",
  "per-file tools without refurb (ruff, complexipy, codespell)": "ruff,complexipy,codespell",
};

function timed(cwd, command, args) {
  const timeFile = path.join(work, "time");
  const result = spawnSync("/usr/bin/time", ["-o", timeFile, "-f", "%e", command, ...args], {
    cwd,
    env,
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  return { wall: Number(readFileSync(timeFile, "utf8").trim().split("\n").pop()), stdout: result.stdout };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function benchProject(name) {
  const { version, changedFile } = PROJECTS[name];
  const project = path.join(work, name);
  committedRealProject(project, realProjectSource(name, version));
  // The same tools and options as jackpool's adapters, as local pre-commit hooks.
  writeFileSync(path.join(project, ".pre-commit-config.yaml"), preCommitConfig(toolsNamed(TOOL_SETS["all five tools"].split(","))));
  execFileSync(path.join(venvBin, "pre-commit"), ["install-hooks"], { cwd: project, env });
  const dropToolCaches = () => {
    for (const cache of [".mypy_cache", ".ruff_cache", ".complexipy_cache"])
      rmSync(path.join(project, cache), { recursive: true, force: true });
  };
  const scanArgs = (tools) => ["scan", "--all", "--quiet", "--format", "json", "--tools", tools];
  const jackpool = (tools) => timed(project, "node", [path.join(repo, "bin/jackpool.js"), ...scanArgs(tools)]);
  // The single binary (issue 6): the same scan without loading the compiled tree's modules.
  const binary = (tools) => timed(project, path.join(repo, "build/jackpool"), scanArgs(tools));
  const results = {};
  const record = (run, seconds) => (results[run] ??= []).push(seconds);
  for (let round = 0; round < rounds; round++) {
    for (const [label, tools] of Object.entries(TOOL_SETS)) {
      execFileSync("node", [path.join(repo, "bin/jackpool.js"), "cache", "clear"], { cwd: project, env });
      dropToolCaches();
      record(`${label}: cold full scan`, jackpool(tools).wall);
      record(`${label}: warm, nothing changed`, jackpool(tools).wall);
      record(`${label}: warm, nothing changed, single binary`, binary(tools).wall);
      appendFileSync(path.join(project, changedFile), `\n# bench round ${round}\n`);
      const changed = jackpool(tools);
      record(`${label}: warm, one file changed`, changed.wall);
      // Where a one-file scan's time goes: each tool's own time in the report.
      for (const tool of JSON.parse(changed.stdout).tools) record(`${label}: one file changed, ${tool.tool} time`, tool.durationMs / 1000);
    }
    dropToolCaches();
    record("pre-commit run --all-files (all five tools)", timed(project, path.join(venvBin, "pre-commit"), ["run", "--all-files"]).wall);
    process.stderr.write(`${name}: round ${round + 1} done\n`);
  }
  const m = Object.fromEntries(Object.entries(results).map(([run, values]) => [run, median(values)]));
  const files = execFileSync("git", ["ls-files", "*.py"], { cwd: project, encoding: "utf8" }).trim().split("\n").length;
  console.log(
    `### ${name} ${version} (${files} Python files), changed file: ${changedFile}, ${rounds} rounds, medians, ${os.availableParallelism()} cores`,
  );
  console.log("");
  console.log("| run | wall (s) |");
  console.log("|---|---|");
  for (const [run, seconds] of Object.entries(m)) console.log(`| ${run} | ${seconds.toFixed(2)} |`);
  console.log("");
  const percent = (part, whole) => `${((100 * part) / whole).toFixed(1)}%`;
  for (const label of Object.keys(TOOL_SETS)) {
    const cold = m[`${label}: cold full scan`];
    console.log(
      `- ${label}: warm/cold ${percent(m[`${label}: warm, nothing changed`], cold)}, single binary ${percent(m[`${label}: warm, nothing changed, single binary`], cold)} (goal <= 2%); one-file/cold ${percent(m[`${label}: warm, one file changed`], cold)} (goal <= 10%)`,
    );
  }
  const precommit = m["pre-commit run --all-files (all five tools)"];
  const all = "all five tools";
  console.log(
    `- pre-commit / warm jackpool (all five tools): ${(precommit / m[`${all}: warm, nothing changed`]).toFixed(1)}x, single binary ${(precommit / m[`${all}: warm, nothing changed, single binary`]).toFixed(1)}x (goal >= 20x)`,
  );
  console.log("");
}

try {
  for (const name of projects) benchProject(name);
} finally {
  rmSync(work, { recursive: true, force: true });
}
