#!/usr/bin/env node
// Benchmark (issue 12, first slice): the pre-commit hook's scan (`jackpool scan --staged`) of a one-file commit,
// without a daemon and after the daemon caught up, plus a warm scan with nothing changed. Each round, side by side:
//   1. no daemon: edit the file (new bytes), stage it, time `scan --staged` (memory warm for every other file);
//   2. daemon: start it, let it catch up, edit the file again (new bytes), wait until `daemon status` says idle,
//      stage it, time `scan --staged` (it asks the daemon, then finds every result in memory);
//   3. warm, nothing changed: `scan --staged` again, with the daemon still up; then stop the daemon.
// The project's own configuration (none: jackpool's defaults, so the plan's default tools). Prints Markdown.
//
// Usage: node bench/daemon-hook.mjs [rounds] [sample|pygments ...]   (default: 5 rounds, both projects)
// Runs the single binary build/jackpool (npm run build first), as the hook of a single-binary install does.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { committedRealProject, realProjectSource } from "./real-project.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const jackpool = path.join(repo, "build/jackpool");
const rounds = Number(process.argv[2] ?? 5);
const wanted = process.argv.slice(3).length > 0 ? process.argv.slice(3) : ["sample", "pygments"];
const env = { ...process.env, PATH: `${path.join(repo, ".venv/bin")}:${process.env.PATH}`, NO_COLOR: "1" };

const gitIn = (cwd, ...args) => execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", ...args], { cwd, env });

const PROJECTS = {
  sample: {
    label: "examples/sample-project (10 files, its own config: 10 tools)",
    make(dir) {
      cpSync(path.join(repo, "examples/sample-project"), dir, { recursive: true, filter: (file) => !/\.crackerjack$/.test(file) });
      gitIn(dir, "init", "-q");
      gitIn(dir, "add", "-A");
      gitIn(dir, "commit", "-qm", "bench");
    },
    file: "src/inventory/legacy.py",
  },
  pygments: {
    label: "pygments 2.19.2 (no config: the default tools)",
    make: (dir) => committedRealProject(dir, realProjectSource()),
    file: "pygments/lexers/rebol.py",
  },
};

function run(cwd, ...args) {
  const started = performance.now();
  const result = spawnSync(jackpool, args, { cwd, env, encoding: "utf8" });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0 && result.status !== 1) throw new Error(`jackpool ${args.join(" ")}: exit ${result.status}\n${result.stderr}`);
  return { seconds, stdout: result.stdout, stderr: result.stderr };
}

const status = (cwd) => JSON.parse(spawnSync(jackpool, ["daemon", "status", "--json"], { cwd, env, encoding: "utf8" }).stdout);

async function idle(cwd, seen = 0) {
  for (;;) {
    const now = status(cwd);
    if (now && now.state === "idle" && now.changesSeen >= seen && now.runs.finished >= 1) return now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const lines = [];
for (const name of wanted) {
  const spec = PROJECTS[name];
  // BENCH_REUSE=dir: a project this script made before, memory warm (its cold scan is then not measured again).
  const reused = process.env.BENCH_REUSE;
  const work = reused ?? mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-daemon-"));
  const project = path.join(work, "project");
  if (!reused) spec.make(project);
  const cold = reused ? Number.NaN : run(project, "scan", "--all", "--quiet").seconds;
  const times = { without: [], after: [], warm: [] };
  let rss = 0;
  let catchUp = [];
  for (let round = 0; round < rounds; round++) {
    appendFileSync(path.join(project, spec.file), `# bench edit ${round} without a daemon\n`);
    gitIn(project, "add", spec.file);
    times.without.push(run(project, "scan", "--staged", "--quiet").seconds);
    run(project, "daemon", "start");
    await idle(project);
    const edited = performance.now();
    appendFileSync(path.join(project, spec.file), `# bench edit ${round} with the daemon\n`);
    const caught = await idle(project, 1);
    catchUp.push((performance.now() - edited) / 1000);
    rss = Math.max(rss, caught.rssBytes);
    gitIn(project, "add", spec.file);
    const after = run(project, "scan", "--staged", "--quiet", "--verbose");
    if (!/^daemon \(pid \d+\): nothing under way$/m.test(after.stderr))
      throw new Error(`the scan did not find the daemon idle:\n${after.stderr}`);
    times.after.push(after.seconds);
    times.warm.push(run(project, "scan", "--staged", "--quiet").seconds);
    run(project, "daemon", "stop");
    process.stderr.write(
      `${name} round ${round + 1}: without ${times.without.at(-1).toFixed(2)} s, after catch-up ${times.after.at(-1).toFixed(2)} s, warm ${times.warm.at(-1).toFixed(2)} s\n`,
    );
  }
  const without = median(times.without);
  const after = median(times.after);
  const warm = median(times.warm);
  lines.push(
    `### ${spec.label}, one edited and staged file: \`${spec.file}\``,
    "",
    `| run (median of ${rounds}) | wall (s) |`,
    "|---|---|",
    `| cold \`scan --all\` (once, for reference) | ${cold.toFixed(2)} |`,
    `| hook \`scan --staged\`, no daemon | ${without.toFixed(2)} |`,
    `| hook \`scan --staged\`, after the daemon caught up | ${after.toFixed(2)} |`,
    `| hook \`scan --staged\`, warm, nothing changed (daemon up) | ${warm.toFixed(2)} |`,
    `| the daemon's catch-up after the save (save → status idle) | ${median(catchUp).toFixed(2)} |`,
    "",
    `No daemon / after catch-up: **${(without / after).toFixed(1)}×**. Daemon resident memory: ${(rss / (1 << 20)).toFixed(0)} MiB.`,
    "",
  );
  if (!reused) rmSync(work, { recursive: true, force: true });
}
process.stdout.write(`${lines.join("\n")}\n`);
