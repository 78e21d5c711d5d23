#!/usr/bin/env node
// Benchmark (issue 3): what the memory cache buys. Side by side in each round, on the pinned real project:
// a cold full scan (empty cache, no tool caches), a warm scan with nothing changed, a scan after one file
// changed, and `pre-commit run --all-files` running the same tools as local hooks (pre-commit has no result
// cache). Done for all five tools and for the per-file tools alone. Prints Markdown.
//
// Usage: node bench/memory-vs-precommit.mjs [rounds] [changed-file]
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 3);
const changedFile = process.argv[3] ?? "pygments/lexers/rebol.py";
const venvBin = path.join(repo, ".venv/bin");
execFileSync(path.join(venvBin, "pip"), ["install", "--quiet", "-r", path.join(repo, "bench/requirements.txt")]);
const source = execFileSync("bash", [path.join(repo, "scripts/fetch-real-project.sh")], { encoding: "utf8" }).trim();
const env = { ...process.env, PATH: `${venvBin}:${process.env.PATH}`, NO_COLOR: "1" };

const work = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-memory-"));
const project = path.join(work, "project");
cpSync(source, project, { recursive: true });
// The same tools and options as jackpool's adapters, as local pre-commit hooks.
writeFileSync(
  path.join(project, ".pre-commit-config.yaml"),
  `repos:
  - repo: local
    hooks:
      - { id: ruff, name: ruff, entry: ruff check --output-format json --no-fix --force-exclude, language: system, types: [python] }
      # A private mypy cache per process, as jackpool does: parallel refurbs sharing .mypy_cache crash.
      - { id: refurb, name: refurb, entry: env MYPY_CACHE_DIR=/dev/null refurb --quiet, language: system, types: [python] }
      - { id: complexipy, name: complexipy, entry: complexipy --output-format sarif --output /dev/null --quiet, language: system, types: [python] }
      - { id: vulture, name: vulture, entry: vulture, language: system, types: [python], require_serial: true }
      - { id: codespell, name: codespell, entry: codespell, language: system, types: [text] }
`,
);
const gitIn = (...args) => execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", ...args], { cwd: project });
gitIn("init", "-q");
gitIn("add", "-A");
gitIn("commit", "-qm", "bench");
execFileSync(path.join(venvBin, "pre-commit"), ["install-hooks"], { cwd: project, env });

function dropToolCaches() {
  for (const cache of [".mypy_cache", ".ruff_cache", ".complexipy_cache"]) rmSync(path.join(project, cache), { recursive: true, force: true });
}

function timed(command, args) {
  const timeFile = path.join(work, "time");
  const result = spawnSync("/usr/bin/time", ["-o", timeFile, "-f", "%e", command, ...args], { cwd: project, env, encoding: "utf8", maxBuffer: 1 << 30 });
  return { wall: Number(readFileSync(timeFile, "utf8").trim().split("\n").pop()), stdout: result.stdout };
}

const scanArgs = (tools) => ["scan", "--all", "--quiet", "--format", "json", "--tools", tools];
const jackpool = (tools) => timed("node", [path.join(repo, "bin/jackpool.js"), ...scanArgs(tools)]);
// The single binary (issue 6): the same scan without loading the compiled tree's modules.
const binary = (tools) => timed(path.join(repo, "build/jackpool"), scanArgs(tools));
const toolSets = { "all five tools": "ruff,refurb,complexipy,vulture,codespell", "per-file tools (ruff, refurb, complexipy, codespell)": "ruff,refurb,complexipy,codespell" };
const results = {};
const record = (name, seconds) => (results[name] ??= []).push(seconds);
for (let round = 0; round < rounds; round++) {
  for (const [label, tools] of Object.entries(toolSets)) {
    execFileSync("node", [path.join(repo, "bin/jackpool.js"), "cache", "clear"], { cwd: project, env });
    dropToolCaches();
    record(`${label}: cold full scan`, jackpool(tools).wall);
    record(`${label}: warm, nothing changed`, jackpool(tools).wall);
    record(`${label}: warm, nothing changed, single binary`, binary(tools).wall);
    appendFileSync(path.join(project, changedFile), `\n# bench round ${round}\n`);
    record(`${label}: warm, one file changed`, jackpool(tools).wall);
  }
  dropToolCaches();
  record("pre-commit run --all-files (all five tools)", timed(path.join(venvBin, "pre-commit"), ["run", "--all-files"]).wall);
  process.stderr.write(`round ${round + 1} done\n`);
}
rmSync(work, { recursive: true, force: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const m = Object.fromEntries(Object.entries(results).map(([name, values]) => [name, median(values)]));
console.log(`project: ${path.basename(source)}, changed file: ${changedFile}, ${rounds} rounds, medians, ${os.availableParallelism()} cores`);
console.log("");
console.log("| run | wall (s) |");
console.log("|---|---|");
for (const [name, seconds] of Object.entries(m)) console.log(`| ${name} | ${seconds.toFixed(2)} |`);
console.log("");
for (const label of Object.keys(toolSets)) {
  const cold = m[`${label}: cold full scan`];
  console.log(`${label}: warm/cold ${((100 * m[`${label}: warm, nothing changed`]) / cold).toFixed(1)}% (goal <= 2%), one-file/cold ${((100 * m[`${label}: warm, one file changed`]) / cold).toFixed(1)}% (goal <= 10%)`);
}
const precommit = m["pre-commit run --all-files (all five tools)"];
console.log(`pre-commit / warm jackpool (all five tools): ${(precommit / m["all five tools: warm, nothing changed"]).toFixed(1)}x (goal >= 20x)`);
console.log(`pre-commit / warm single binary (all five tools): ${(precommit / m["all five tools: warm, nothing changed, single binary"]).toFixed(1)}x`);
console.log(`warm single binary / cold (all five tools): ${((100 * m["all five tools: warm, nothing changed, single binary"]) / m["all five tools: cold full scan"]).toFixed(1)}%`);
