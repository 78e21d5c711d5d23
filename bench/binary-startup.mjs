#!/usr/bin/env node
// Benchmark (issue 6): the single binary's start-up and size. Side by side in each round: `node -e 0` (the
// floor: starting Node itself), `build/jackpool --version`, `node bin/jackpool.js --version` (the compiled
// tree), and a warm no-change scan of the pinned real project through the binary and through the compiled
// tree (where start-up is most of the time). Prints Markdown.
//
// Usage: node bench/binary-startup.mjs [rounds]   (after npm run build)
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { committedRealProject } from "./real-project.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.argv[2] ?? 20);
const binary = path.join(repo, "build/jackpool");
const compiled = path.join(repo, "bin/jackpool.js");
const env = { ...process.env, PATH: `${path.join(repo, ".venv/bin")}:${process.env.PATH}`, NO_COLOR: "1" };

const work = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-binary-"));
const project = path.join(work, "project");
committedRealProject(project);

function seconds(command, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: project, env, encoding: "utf8", maxBuffer: 1 << 30 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} ${args.join(" ")}: exit ${result.status}\n${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const scan = ["scan", "--all", "--quiet", "--format", "json"];
const runs = {
  "node -e 0": () => seconds(process.execPath, ["-e", "0"]),
  "build/jackpool --version": () => seconds(binary, ["--version"]),
  "node bin/jackpool.js --version": () => seconds(process.execPath, [compiled, "--version"]),
  "warm scan --all, binary": () => seconds(binary, scan),
  "warm scan --all, node bin/jackpool.js": () => seconds(process.execPath, [compiled, ...scan]),
};
seconds(binary, scan); // fills the memory cache: the scans below are warm
const results = Object.fromEntries(Object.keys(runs).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) for (const [name, run] of Object.entries(runs)) results[name].push(run());
rmSync(work, { recursive: true, force: true });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const floor = median(results["node -e 0"]);
console.log(`Rounds: ${rounds}. Node ${process.versions.node}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}.\n`);
console.log("| run | median | vs node -e 0 |\n|---|---|---|");
for (const [name, values] of Object.entries(results))
  console.log(`| ${name} | ${(median(values) * 1000).toFixed(0)} ms | ${(median(values) / floor).toFixed(2)}× |`);
console.log(
  `\nbuild/jackpool: ${(statSync(binary).size / 2 ** 20).toFixed(1)} MiB (the Node binary itself: ${(statSync(process.execPath).size / 2 ** 20).toFixed(1)} MiB).`,
);
