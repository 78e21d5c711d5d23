import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterEach, expect } from "vitest";
import type { Report } from "../src/report/report.js";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const JACKPOOL = path.join(REPO, "bin", "jackpool.js");
export const VENV_BIN = path.join(REPO, ".venv", "bin");
export const SAMPLE_PROJECT = path.join(REPO, "examples", "sample-project");
export const BUILT_WORKER = path.join(REPO, "build", "js", "workers", "piscina-entry.cjs");
/** A second pinned ruff version (test/requirements-older-ruff.txt), installed by scripts/test.sh. */
export const OLDER_RUFF_BIN = path.join(REPO, ".cache", "older-ruff", "bin");
export const REAL_PROJECT = path.join(REPO, ".cache", "real-projects", "pygments-2.19.2");
/** PATH without the pinned tools: system commands only (git, sh, python3). */
export const SYSTEM_PATH = (process.env.PATH ?? "")
  .split(path.delimiter)
  .filter((dir) => !dir.includes(".venv"))
  .join(path.delimiter);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/**
 * A fresh temp directory, removed after the test. The removal retries: a process the test started may still be
 * writing into it as it ends (a stand-in worker's shell saves its history on the hang-up its server's death sends).
 */
export async function tempDir(prefix = "jackpool-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));
  return dir;
}

/**
 * Runs `make` (in a beforeAll) so that the temp directories it makes outlive each test: they are removed when the
 * returned `remove` is called (in afterAll).
 */
export async function forTheSuite<T>(make: () => Promise<T>): Promise<{ value: T; remove: () => Promise<void> }> {
  const start = cleanups.length;
  const value = await make();
  const mine = cleanups.splice(start);
  return {
    value,
    remove: async () => {
      for (const cleanup of mine) await cleanup();
    },
  };
}

/** Runs git in `cwd` with a fixed identity. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const result = await execa("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], {
    cwd,
  });
  return result.stdout;
}

/** A copy of `source` in a temp dir, made a git repository with everything committed (unless `commit` is false). */
export async function projectCopy(source: string, { commit = true }: { commit?: boolean } = {}): Promise<string> {
  const dir = await tempDir();
  // Never copy state a previous run left in the source (the demo scans examples/ in place): every test
  // starts cold, with no memory cache, last-pass marker or tool caches.
  await cp(source, dir, {
    recursive: true,
    filter: (file) => !/(^|\/)(\.venv|__pycache__|\.mypy_cache|\.ruff_cache|\.complexipy_cache|\.crackerjack)$/.test(file),
  });
  if (commit) {
    await git(dir, "init", "-q", "-b", "main");
    await git(dir, "add", "-A");
    await git(dir, "commit", "-qm", "initial");
  }
  return dir;
}

/** Writes files (path → content) below `dir`, creating directories. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
}

/** A fresh git repository holding `files`, all added; committed unless `commit` is false. */
export async function gitRepo(files: Record<string, string>, { commit = true }: { commit?: boolean } = {}): Promise<string> {
  const root = await tempDir();
  await writeFiles(root, files);
  await git(root, "init", "-q");
  await git(root, "add", "-A");
  if (commit) await git(root, "commit", "-qm", "initial");
  return root;
}

/** A directory of executable fake tools (name → shell script body), for crash/hang/huge-output cases. */
export async function fakeTools(scripts: Record<string, string>): Promise<string> {
  const dir = await tempDir("jackpool-fake-");
  for (const [name, body] of Object.entries(scripts)) {
    const file = path.join(dir, name);
    await writeFile(file, `#!/bin/sh\n${body}\n`);
    await chmod(file, 0o755);
  }
  return dir;
}

export interface JackpoolRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI in `cwd`; `pathDirs` go first on PATH, before the pinned tools. */
export interface JackpoolOptions {
  pathDirs?: string[];
  env?: Record<string, string>;
  /** Put the pinned tools (.venv/bin) on PATH. */
  withTools?: boolean;
  /** Put the system's commands on PATH (without them, `pathDirs` must hold what the scan needs, git included). */
  withSystem?: boolean;
}

/** Runs the built CLI in `cwd`; `pathDirs` go first on PATH, before the pinned tools. */
export async function jackpool(
  cwd: string,
  args: string[],
  { pathDirs = [], env = {}, withTools = true, withSystem = true }: JackpoolOptions = {},
): Promise<JackpoolRun> {
  const PATH = [...pathDirs, ...(withTools ? [VENV_BIN] : []), ...(withSystem ? [SYSTEM_PATH] : [])].join(path.delimiter);
  const result = await execa(process.execPath, [JACKPOOL, ...args], {
    cwd,
    reject: false,
    env: { NO_COLOR: "1", ...env, PATH },
    extendEnv: true,
    stdin: "ignore",
  });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `jackpool scan --format json` and parses the report. */
export async function scanJson(cwd: string, args: string[], options: JackpoolOptions = {}): Promise<{ report: Report; run: JackpoolRun }> {
  const run = await jackpool(cwd, ["scan", "--format", "json", "--quiet", ...args], options);
  try {
    return { report: JSON.parse(run.stdout) as Report, run };
  } catch {
    throw new Error(`no JSON report (exit ${run.exitCode}): ${run.stderr}\n${run.stdout.slice(0, 2000)}`);
  }
}

/** The report without what legitimately differs between two runs over the same files: timings and task counts. */
export function comparableReport(report: Report): string {
  return JSON.stringify({
    ...report,
    summary: { ...report.summary, durationMs: 0, tasks: 0, fromMemory: 0, savedMs: 0 },
    tools: report.tools.map((tool) => ({ ...tool, durationMs: 0, tasks: 0 })),
  });
}

/** `path:line:rule` of each finding of one tool, for compact assertions. */
export function brief(report: Report, tool: string): string[] {
  return report.findings.filter((finding) => finding.tool === tool).map((finding) => `${finding.path}:${finding.line}:${finding.rule}`);
}

/**
 * Whether a process is still running. A killed orphan stays a zombie until PID 1 reaps it, which this
 * machine's init does lazily: a zombie runs nothing, so it counts as gone. Waits up to `graceMs` for the
 * kernel to finish tearing processes down.
 */
export async function running(pid: number, graceMs = 1000): Promise<boolean> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    let state: string | undefined;
    try {
      state = /\) (\S)/.exec(await readFile(`/proc/${pid}/stat`, "utf8"))?.[1];
    } catch {
      return false;
    }
    if (state === "Z") return false;
    if (Date.now() > deadline) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Scans with the cache and without it, and checks the two reports are the same; returns the cached run. */
export async function cachedMatchesUncached(root: string, args: string[] = ["--all"], options: Parameters<typeof scanJson>[2] = {}) {
  const cached = await scanJson(root, [...args, "--explain"], options);
  const uncached = await scanJson(root, [...args, "--no-cache"], options);
  expect(comparableReport(cached.report)).toBe(comparableReport(uncached.report));
  return cached;
}

/** The files --explain calls a hit or a miss for `tool`, sorted. */
export function explained(stderr: string, verdict: "hit" | "miss", tool: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith(`${verdict} `) && line.split(/\s+/)[1] === tool)
    .map((line) => line.split(/\s+/)[2] ?? "")
    .sort();
}

/** The reason --explain gives for a miss of `tool` on `subject` (a file, or "whole project"). */
export function missReason(stderr: string, tool: string, subject: string): string | undefined {
  const line = stderr
    .split("\n")
    .find((text) => text.startsWith(`miss  ${tool} ${subject === "whole project" ? "(whole project" : `${subject} `}`));
  return line?.match(/\(([^()]*)\)$/)?.[1];
}
