// jackpool's default tools as plain commands, with the arguments of jackpool's adapters (src/tools/builtin/*.ts,
// buildArgs): for the benchmarks that run the same tools without jackpool, as pre-commit `repo: local` hooks
// (pre-commit, prek) and one after another by hand. Keep in step with the adapters.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Where tools that must write a report or a cache write it: nothing reads it. */
const scratch = mkdtempSync(path.join(os.tmpdir(), "jackpool-bench-hooks-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

// The report is not read: these runs are timed, and their exit code says whether the tool found anything. One file
// per shell ($$), since pre-commit runs a hook's batches at once; never /dev/null, which gitleaks replaces too.
const GITLEAKS = `gitleaks dir --no-banner --no-color --redact --log-level error --exit-code 1 --report-format json --report-path ${scratch}/gitleaks-$$.json`;

/**
 * Each default tool (placement "pooled" or "local"; check-jsonschema is left out: with no `schemas` configured it has
 * nothing to run), as jackpool runs it. `files`: the extensions of the files it checks (jackpool's `include`), null
 * for every file. A whole-project tool (`project`) checks the project whatever files it is given.
 */
export const DEFAULT_TOOLS = [
  {
    id: "ruff",
    entry: ["ruff", "check", "--output-format", "json", "--no-fix", "--no-fix-only", "--force-exclude"],
    files: ["py", "pyi", "ipynb"],
  },
  // jackpool gives mypy (which refurb runs) a private cache per process: parallel refurbs sharing .mypy_cache crash.
  // The variable does that here: refurb hands everything after `--` to mypy, file names included.
  { id: "refurb", entry: ["env", "MYPY_CACHE_DIR=/dev/null", "refurb", "--quiet"], files: ["py"] },
  {
    id: "complexipy",
    // jackpool keeps complexipy's report and cache in a fresh task directory; here a scratch directory. Never
    // /dev/null: complexipy writes its report by replacing the file, which turns /dev/null into a regular file.
    entry: [
      "complexipy",
      "--fix=false",
      "--snapshot-create=false",
      "--output-format",
      "sarif",
      "--output",
      path.join(scratch, "complexipy.sarif"),
      "--cache-dir",
      path.join(scratch, "complexipy-cache"),
      "--quiet",
    ],
    files: ["py"],
  },
  // jackpool adds `--regex` with codespell's own default pattern, only so that codespell refuses to write: left out.
  { id: "codespell", entry: ["codespell"], files: null },
  {
    id: "semgrep",
    entry: [
      "semgrep",
      "scan",
      "--json",
      "--quiet",
      "--metrics=off",
      "--disable-version-check",
      "--config",
      path.join(repo, "assets/semgrep-rules/python-security.yml"),
    ],
    files: ["py", "pyi"],
  },
  // `gitleaks dir` scans one path (jackpool links a task's files into one tree): one run per file.
  { id: "gitleaks", entry: ["sh", "-c", `s=0; for f; do ${GITLEAKS} "$f" || s=$?; done; exit $s`, "gitleaks"], files: null },
  { id: "vulture", entry: ["vulture", "."], files: ["py"], project: true },
  { id: "skylos", entry: ["skylos", "--json", "--danger", "--secrets", "--no-upload", "."], files: ["py"], project: true },
];

/** The tools named, in that order. */
export const toolsNamed = (ids) => ids.map((id) => DEFAULT_TOOLS.find((tool) => tool.id === id));

/** The tool's command line for `files` (a whole-project tool's ignores them). */
const commandLine = (tool, files) => [...tool.entry, ...(tool.project ? [] : files)];

/** POSIX shell quoting, as pre-commit (shlex) and prek split an `entry`. */
const quoted = (word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`);

/**
 * A `.pre-commit-config.yaml` (read by pre-commit and prek alike) running `tools` as local hooks of the system's
 * executables; each hook gets the file names after its entry, as jackpool gives them after the options.
 */
export function preCommitConfig(tools) {
  const hook = (tool) => {
    const fields = [
      `id: ${tool.id}`,
      `name: ${tool.id}`,
      `entry: ${JSON.stringify(tool.entry.map(quoted).join(" "))}`,
      "language: system",
      ...(tool.files ? [`files: ${JSON.stringify(`\\.(${tool.files.join("|")})$`)}`] : []),
      // A whole-project tool runs once, over the project, when any of its files is among those given.
      ...(tool.project ? ["pass_filenames: false", "require_serial: true"] : []),
    ];
    return `      - { ${fields.join(", ")} }`;
  };
  return `repos:\n  - repo: local\n    hooks:\n${tools.map(hook).join("\n")}\n`;
}

/**
 * Runs `tools` one after another, each on those of `files` it checks (a whole-project tool on the project), as a
 * person would by hand. Returns the wall time in seconds and the tools that exited non-zero (found something).
 */
export function runDirectly(tools, files, { cwd, env }) {
  const started = performance.now();
  const failed = [];
  for (const tool of tools) {
    const own = tool.files ? files.filter((file) => tool.files.includes(path.extname(file).slice(1))) : files;
    if (own.length === 0) continue;
    const [command, ...args] = commandLine(tool, own);
    const result = spawnSync(command, args, { cwd, env, stdio: "ignore" });
    if (result.error) throw result.error;
    if (result.status !== 0) failed.push(tool.id);
  }
  return { seconds: (performance.now() - started) / 1000, failed };
}

/** The project's tracked files, as pre-commit's `--all-files` sees them. */
export const trackedFiles = (cwd) => execFileSync("git", ["ls-files"], { cwd, encoding: "utf8" }).trim().split("\n");
