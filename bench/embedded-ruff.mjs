#!/usr/bin/env node
// Benchmark (issue 4): the embedded WebAssembly ruff against native ruff of the same version, side by side in
// each round on the pinned real project: native ruff run directly, `jackpool scan --tools ruff` with native
// ruff, and the same scan with no native ruff on PATH (the embedded ruff, on 1 and on 2 worker threads).
// Prints Markdown.
//
// Usage: node bench/embedded-ruff.mjs [rounds]   (after npm run build and scripts/test.sh's older-ruff install)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { committedRealProject } from "./real-project.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 5);
const nativeBin = path.join(repo, ".cache/older-ruff/bin"); // the embedded ruff's version, pinned in test/requirements-older-ruff.txt
const systemPath = (process.env.PATH ?? "")
  .split(":")
  .filter((dir) => !dir.includes(".venv"))
  .join(":");

const work = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-wasm-"));
const project = path.join(work, "project");
committedRealProject(project);
const pythonFiles = execFileSync("git", ["ls-files", "*.py"], { cwd: project, encoding: "utf8" }).trim().split("\n");

function seconds(command, args, PATH) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: project,
    env: { ...process.env, PATH, NO_COLOR: "1" },
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0 && result.status !== 1)
    throw new Error(`${command} ${args.slice(0, 4).join(" ")}: exit ${result.status}\n${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const scan = (jobs) => [
  path.join(repo, "bin/jackpool.js"),
  "scan",
  "--all",
  "--tools",
  "ruff",
  "--no-cache",
  "--backend",
  "local",
  "--quiet",
  "--format",
  "json",
  "--jobs",
  jobs,
];
const runs = {
  "native ruff 0.17.4, direct": () =>
    seconds(path.join(nativeBin, "ruff"), ["check", "--output-format", "json", "--no-fix", "--no-cache", ...pythonFiles], systemPath),
  "jackpool, native ruff 0.17.4": () => seconds(process.execPath, scan("2"), `${nativeBin}:${systemPath}`),
  "jackpool, embedded ruff, 1 thread": () => seconds(process.execPath, scan("1"), systemPath),
  "jackpool, embedded ruff, 2 threads": () => seconds(process.execPath, scan("2"), systemPath),
};
const results = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) for (const [name, run] of Object.entries(runs)) results[name].push(run());
rmSync(work, { recursive: true, force: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const base = median(results["jackpool, native ruff 0.17.4"]);
console.log(
  `Rounds: ${rounds}. ${pythonFiles.length} .py files. Node ${process.versions.node}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}.\n`,
);
console.log("| run | median | vs jackpool with native ruff |\n|---|---|---|");
for (const [name, values] of Object.entries(results))
  console.log(`| ${name} | ${median(values).toFixed(2)} s | ${(median(values) / base).toFixed(2)}× |`);
