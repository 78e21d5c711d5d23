#!/usr/bin/env node
// Benchmark (issue 4): each newer tool's cold time on the real project, run once directly (the adapter's own
// command over all its files, as one process) and through `jackpool scan --all --tools <name> --no-cache`.
// Tool caches (mypy's incremental cache under .crackerjack/; pyright keeps none) are removed before every run; the two contenders
// alternate within each round. Prints a Markdown table of medians.
//
// Usage: node bench/tool-cold-times.mjs [rounds] [project-dir] [tools,comma,separated]
// (e.g. `node bench/tool-cold-times.mjs 3 "" pyright`: an empty project-dir means pygments)
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { committedRealProject, realProjectSource } from "./real-project.mjs";
import { execa } from "execa";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { adapterFor } = await import(path.join(repo, "build/js/src/tools/registry.js"));
const { filesForTool, toolRuns } = await import(path.join(repo, "build/js/src/scan/prepare-tools.js"));
const { selectFiles } = await import(path.join(repo, "build/js/src/files/select.js"));

const rounds = Number(process.argv[2] ?? 3);
const source = process.argv[3] || realProjectSource();
const tools = (process.argv[4] ?? "mypy,skylos,semgrep,gitleaks,pyright").split(",");
const venvBin = path.join(repo, ".venv/bin");
// pyright is an npm package pinned in package.json: a direct run takes jackpool's own copy, as a scan does.
const executableOf = (adapter) =>
  adapter.name === "pyright" ? path.join(repo, "node_modules/.bin/pyright") : path.join(venvBin, adapter.executable);
const env = { ...process.env, PATH: `${venvBin}:${process.env.PATH}`, NO_COLOR: "1", PYTHONIOENCODING: "utf-8" };

const work = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-"));
const project = path.join(work, "project");
committedRealProject(project, source);
const files = await selectFiles(project, { mode: "all" }, []);

function coldCaches() {
  for (const cache of [".mypy_cache", ".crackerjack"]) rmSync(path.join(project, cache), { recursive: true, force: true });
}

/** Seconds one direct run of the tool takes (every settings run, one after another). */
async function direct(tool) {
  const adapter = adapterFor(tool);
  const runs = await toolRuns(adapter, {}, project, filesForTool(adapter, {}, files));
  coldCaches();
  const started = performance.now();
  for (const run of runs) {
    const taskDir = mkdtempSync(path.join(work, `task-${tool}-`));
    const context = { taskDir, userArgs: run.userArgs };
    await adapter.stage?.(run.files, { ...context, cwd: project });
    await execa(executableOf(adapter), adapter.buildArgs(run.files, context), {
      cwd: project,
      env: { ...env, ...adapter.environment?.(context) },
      reject: false,
      stdin: "ignore",
      maxBuffer: 1 << 30,
    });
    rmSync(taskDir, { recursive: true, force: true });
  }
  return (performance.now() - started) / 1000;
}

/** Seconds `jackpool scan --all --tools <tool> --no-cache` takes, start-up included. */
async function throughJackpool(tool) {
  coldCaches();
  const started = performance.now();
  const result = await execa(
    "node",
    [path.join(repo, "bin/jackpool.js"), "scan", "--all", "--tools", tool, "--no-cache", "--quiet", "--format", "json"],
    {
      cwd: project,
      env,
      reject: false,
      stdin: "ignore",
      maxBuffer: 1 << 30,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.exitCode !== 0 && result.exitCode !== 1) throw new Error(`${tool}: jackpool exited ${result.exitCode}: ${result.stderr}`);
  return seconds;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rows = [];
for (const tool of tools) {
  const times = { direct: [], jackpool: [] };
  for (let round = 0; round < rounds; round++) {
    times.direct.push(await direct(tool));
    times.jackpool.push(await throughJackpool(tool));
  }
  const [d, j] = [median(times.direct), median(times.jackpool)];
  rows.push(`| ${tool} | ${d.toFixed(2)} s | ${j.toFixed(2)} s | ${(j / d).toFixed(2)}× |`);
  process.stderr.write(
    `${tool}: direct ${times.direct.map((t) => t.toFixed(2)).join(", ")}; jackpool ${times.jackpool.map((t) => t.toFixed(2)).join(", ")}\n`,
  );
}
rmSync(work, { recursive: true, force: true });
console.log(
  `Cold time on ${path.basename(source)} (${files.length} files), median of ${rounds} rounds, ${os.availableParallelism()} cores:\n`,
);
console.log("| tool | direct | jackpool scan --tools <tool> --no-cache | ratio |\n|---|---|---|---|");
for (const row of rows) console.log(row);
