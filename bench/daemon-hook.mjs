#!/usr/bin/env node
// Benchmark (issue 12): the pre-commit hook's scan (`jackpool scan --staged`) of a one-file commit, with and without
// the daemon, against pre-commit 4 and prek 0.5 running the same tools as local hooks and against the tools run one
// after another by hand (bench/local-hooks.mjs has them, with the arguments of jackpool's adapters).
// Once per project, full scans: jackpool cold (fresh memory) and warm with nothing changed, `pre-commit run
// --all-files`, `prek run --all-files` and the tools by hand on every file (neither of those remembers anything).
// Then each round, on the same file F, side by side:
//   1. edit F (new bytes), stage it; time the tools by hand on F (the whole-project ones on the project),
//      `pre-commit run --files F`, `prek run --files F`, and jackpool's `scan --staged` without a daemon;
//   2. daemon caught up: start it, let it catch up, edit F again, wait until `daemon status` says idle, stage it,
//      time `scan --staged` (it asks the daemon, then finds every result in memory);
//   3. right after the save: edit F again, stage it and time `scan --staged` at once: the scan waits for the
//      daemon's work under way instead of running the tools a second time (its --verbose line says which it did);
//   4. warm, nothing changed: `scan --staged` again, with the daemon still up; then stop the daemon.
// No project configuration: jackpool's defaults, so the plan's default tools. Records the daemon's largest resident
// memory seen by `daemon status`. Prints Markdown.
//
// Usage: node bench/daemon-hook.mjs [rounds] [attrs|pygments|sample ...]   (default: 5 rounds, attrs and pygments)
// Runs the single binary build/jackpool (npm run build first), as the hook of a single-binary install does.
// Installs bench/requirements.txt (pre-commit, prek) into .venv.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_TOOLS, preCommitConfig, runDirectly, trackedFiles } from "./local-hooks.mjs";
import { committedRealProject, realProjectSource } from "./real-project.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const jackpool = path.join(repo, "build/jackpool");
const venvBin = path.join(repo, ".venv/bin");
const rounds = Number(process.argv[2] ?? 5);
const wanted = process.argv.slice(3).length > 0 ? process.argv.slice(3) : ["attrs", "pygments"];
execFileSync(path.join(venvBin, "pip"), [
  "install",
  "--quiet",
  "--disable-pip-version-check",
  "-r",
  path.join(repo, "bench/requirements.txt"),
]);
const env = { ...process.env, PATH: `${venvBin}:${process.env.PATH}`, NO_COLOR: "1" };

const gitIn = (cwd, ...args) => execFileSync("git", ["-c", "user.name=b", "-c", "user.email=b@b", ...args], { cwd, env });

const PROJECTS = {
  sample: {
    label: "examples/sample-project (10 files), without its configuration: the default tools",
    make(dir) {
      // Its configuration chooses other tools (mypy, check-jsonschema with schemas): the hooks run the default ones.
      cpSync(path.join(repo, "examples/sample-project"), dir, {
        recursive: true,
        filter: (file) => !/(\.crackerjack|\.crackerjack\.yaml)$/.test(file),
      });
      gitIn(dir, "init", "-q");
      gitIn(dir, "add", "-A");
      gitIn(dir, "commit", "-qm", "bench");
    },
    file: "src/inventory/legacy.py",
  },
  attrs: {
    label: "attrs 24.2.0 (no config: the default tools)",
    make: (dir) => committedRealProject(dir, realProjectSource("attrs", "24.2.0")),
    file: "attr/_make.py",
  },
  pygments: {
    label: "pygments 2.19.2 (no config: the default tools)",
    make: (dir) => committedRealProject(dir, realProjectSource()),
    file: "pygments/lexers/rebol.py",
  },
};

function timed(cwd, command, args) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", maxBuffer: 1 << 30 });
  if (result.error) throw result.error;
  return { seconds: (performance.now() - started) / 1000, status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function run(cwd, ...args) {
  const result = timed(cwd, jackpool, args);
  if (result.status !== 0 && result.status !== 1) throw new Error(`jackpool ${args.join(" ")}: exit ${result.status}\n${result.stderr}`);
  return result;
}

/** The tools with findings in a `--format json` report. */
const toolsWithFindings = (report) =>
  JSON.parse(report)
    .tools.filter((tool) => tool.status !== "passed" && tool.status !== "skipped")
    .map((tool) => tool.tool);

/** `pre-commit run` or `prek run` with the hooks' configuration; the hooks that failed (found something). */
function runHooks(cwd, runner, config, files) {
  const args = ["run", "--config", config, "--color", "never", ...(files ? ["--files", ...files] : ["--all-files"])];
  const result = timed(cwd, path.join(venvBin, runner), args);
  if (result.status !== 0 && result.status !== 1) throw new Error(`${runner} ${args.join(" ")}: exit ${result.status}\n${result.stdout}`);
  const failed = [...result.stdout.matchAll(/^([\w-]+)\.{3,}.*Failed$/gm)].map((match) => match[1]);
  return { seconds: result.seconds, failed };
}

let rss = 0;
const status = (cwd) => {
  const now = JSON.parse(spawnSync(jackpool, ["daemon", "status", "--json"], { cwd, env, encoding: "utf8" }).stdout);
  if (now) rss = Math.max(rss, now.rssBytes);
  return now;
};

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

const seconds = (value) => (Number.isNaN(value) ? "—" : value.toFixed(2));
const named = (tools) => (tools.length > 0 ? tools.join(", ") : "none");

const lines = [];
for (const name of wanted) {
  const spec = PROJECTS[name];
  rss = 0;
  // BENCH_REUSE=dir: a project this script made before, memory warm (its cold scan is then not measured again).
  const reused = process.env.BENCH_REUSE;
  const work = reused ?? mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-daemon-"));
  const project = path.join(work, "project");
  if (!reused) spec.make(project);
  // Outside the project, so that no scan checks it and pre-commit does not ask for it to be staged.
  const config = path.join(work, "pre-commit-config.yaml");
  writeFileSync(config, preCommitConfig(DEFAULT_TOOLS));
  // Untimed: each runner sets up its store (system hooks have no environment to install).
  execFileSync(path.join(venvBin, "pre-commit"), ["install-hooks", "--config", config], { cwd: project, env });
  execFileSync(path.join(venvBin, "prek"), ["prepare-hooks", "--config", config], { cwd: project, env });

  const pythonFiles = trackedFiles(project).filter((file) => file.endsWith(".py")).length;
  const cold = reused ? undefined : run(project, "scan", "--all", "--quiet", "--format", "json");
  const full = {
    cold: cold?.seconds ?? Number.NaN,
    warm: run(project, "scan", "--all", "--quiet").seconds,
    preCommit: runHooks(project, "pre-commit", config),
    prek: runHooks(project, "prek", config),
    direct: runDirectly(DEFAULT_TOOLS, trackedFiles(project), { cwd: project, env }),
  };
  process.stderr.write(
    `${name} full scans: jackpool cold ${seconds(full.cold)} s, warm ${full.warm.toFixed(2)} s, pre-commit ${full.preCommit.seconds.toFixed(2)} s, prek ${full.prek.seconds.toFixed(2)} s, by hand ${full.direct.seconds.toFixed(2)} s\n`,
  );

  const times = { direct: [], preCommit: [], prek: [], without: [], after: [], immediate: [], warm: [], catchUp: [] };
  let waitedRounds = 0;
  let failed;
  for (let round = 0; round < rounds; round++) {
    appendFileSync(path.join(project, spec.file), `# bench edit ${round} without a daemon\n`);
    gitIn(project, "add", spec.file);
    const direct = runDirectly(DEFAULT_TOOLS, [spec.file], { cwd: project, env });
    const preCommit = runHooks(project, "pre-commit", config, [spec.file]);
    const prek = runHooks(project, "prek", config, [spec.file]);
    const without = run(project, "scan", "--staged", "--quiet", "--format", "json");
    times.direct.push(direct.seconds);
    times.preCommit.push(preCommit.seconds);
    times.prek.push(prek.seconds);
    times.without.push(without.seconds);
    failed = { direct: direct.failed, preCommit: preCommit.failed, prek: prek.failed, jackpool: toolsWithFindings(without.stdout) };

    run(project, "daemon", "start");
    const started = await idle(project);
    const edited = performance.now();
    appendFileSync(path.join(project, spec.file), `# bench edit ${round} with the daemon\n`);
    const caught = await idle(project, started.changesSeen + 1);
    times.catchUp.push((performance.now() - edited) / 1000);
    gitIn(project, "add", spec.file);
    const after = run(project, "scan", "--staged", "--quiet", "--verbose");
    if (!/^daemon \(pid \d+\): nothing under way$/m.test(after.stderr))
      throw new Error(`the scan did not find the daemon idle:\n${after.stderr}`);
    times.after.push(after.seconds);

    appendFileSync(path.join(project, spec.file), `# bench edit ${round} right before the commit\n`);
    gitIn(project, "add", spec.file);
    const immediate = run(project, "scan", "--staged", "--quiet", "--verbose");
    // A scan that asked before the daemon saw the save runs the tools itself (and the daemon runs them again).
    if (/^daemon \(pid \d+\): waited [\d.]+ s for its work$/m.test(immediate.stderr)) waitedRounds++;
    else
      process.stderr.write(`${name} round ${round + 1}: the scan right after the save did not wait for the daemon:\n${immediate.stderr}`);
    times.immediate.push(immediate.seconds);
    await idle(project, caught.changesSeen + 1);

    times.warm.push(run(project, "scan", "--staged", "--quiet").seconds);
    run(project, "daemon", "stop");
    process.stderr.write(
      `${name} round ${round + 1}: by hand ${direct.seconds.toFixed(2)} s, pre-commit ${preCommit.seconds.toFixed(2)} s, prek ${prek.seconds.toFixed(2)} s, jackpool without a daemon ${without.seconds.toFixed(2)} s, after catch-up ${after.seconds.toFixed(2)} s, right after the save ${immediate.seconds.toFixed(2)} s, warm ${times.warm.at(-1).toFixed(2)} s\n`,
    );
  }
  const m = Object.fromEntries(Object.entries(times).map(([run, values]) => [run, median(values)]));
  lines.push(
    `### ${spec.label}, ${pythonFiles} Python files, one edited and staged file: \`${spec.file}\`, ${os.availableParallelism()} cores`,
    "",
    `| run | wall (s) |`,
    "|---|---|",
    `| jackpool \`scan --all\`, cold (fresh memory) | ${seconds(full.cold)} |`,
    `| jackpool \`scan --all\`, warm, nothing changed | ${seconds(full.warm)} |`,
    `| \`pre-commit run --all-files\` | ${seconds(full.preCommit.seconds)} |`,
    `| \`prek run --all-files\` | ${seconds(full.prek.seconds)} |`,
    `| the tools by hand, one after another, on every file | ${seconds(full.direct.seconds)} |`,
    `| **hook case, median of ${rounds}:** the tools by hand on the file (whole-project tools on the project) | ${seconds(m.direct)} |`,
    `| \`pre-commit run --files F\` | ${seconds(m.preCommit)} |`,
    `| \`prek run --files F\` | ${seconds(m.prek)} |`,
    `| jackpool \`scan --staged\`, no daemon | ${seconds(m.without)} |`,
    `| jackpool \`scan --staged\`, after the daemon caught up | ${seconds(m.after)} |`,
    `| jackpool \`scan --staged\`, right after the save (waited for the daemon's work in ${waitedRounds} of ${rounds} rounds) | ${seconds(m.immediate)} |`,
    `| jackpool \`scan --staged\`, warm, nothing changed (daemon up) | ${seconds(m.warm)} |`,
    `| the daemon's catch-up after the save (save → status idle) | ${seconds(m.catchUp)} |`,
    "",
    `pre-commit / jackpool after catch-up: **${(m.preCommit / m.after).toFixed(1)}×**; prek: **${(m.prek / m.after).toFixed(1)}×**; no daemon / after catch-up: **${(m.without / m.after).toFixed(1)}×**. Daemon resident memory (largest seen): ${(rss / (1 << 20)).toFixed(0)} MiB.`,
    "",
    // With the adapters' arguments semgrep and skylos exit 0 whatever they find: hook runners show them as passed.
    "Tools that found something (jackpool: status not passed; the others: exit code not 0, which semgrep and skylos never give):",
    "",
    ...(cold
      ? [
          `- full scan: jackpool ${named(toolsWithFindings(cold.stdout))}; pre-commit ${named(full.preCommit.failed)}; prek ${named(full.prek.failed)}; by hand ${named(full.direct.failed)}`,
        ]
      : []),
    `- hook case (last round): jackpool ${named(failed.jackpool)}; pre-commit ${named(failed.preCommit)}; prek ${named(failed.prek)}; by hand ${named(failed.direct)}`,
    "",
  );
  if (!reused) rmSync(work, { recursive: true, force: true });
}
process.stdout.write(`${lines.join("\n")}\n`);
