import { execa } from "execa";

/**
 * How long one git command may take: listing or checking out a very large repository takes seconds, a hung one (a
 * lock held by a dead process, a filesystem that stopped answering) would take forever.
 */
const GIT_TIMEOUT_MS = 300_000;

/** What a git command came to. */
export interface GitResult {
  /** undefined when git did not finish: timed out, interrupted, or not found. */
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  isCanceled: boolean;
}

/** Runs git in `cwd`, bounded in time and stopped by `signal`; never rejects (check `exitCode`). */
export async function git(
  cwd: string,
  args: readonly string[],
  signal?: AbortSignal,
  options: { stripFinalNewline?: boolean } = {},
): Promise<GitResult> {
  const result = await execa("git", [...args], {
    cwd,
    reject: false,
    stdin: "ignore",
    timeout: GIT_TIMEOUT_MS,
    ...(signal ? { cancelSignal: signal } : {}),
    ...options,
  });
  return {
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    timedOut: result.timedOut,
    isCanceled: result.isCanceled,
  };
}

/** Why a git command failed, in one line. */
function failure(args: readonly string[], result: GitResult): string {
  const why = result.timedOut
    ? `timed out after ${GIT_TIMEOUT_MS / 1000}s`
    : result.isCanceled
      ? "was interrupted"
      : (result.stderr.trim().split("\n")[0] ?? "");
  return `git ${args.join(" ")} failed: ${why}`;
}

// A process runs one command, during which no directory moves into or out of a repository: ask git once per directory.
const topLevels = new Map<string, Promise<string | null>>();

/** The top level of the git work tree containing `dir`, or null when `dir` is not in one. */
export function gitTopLevel(dir: string): Promise<string | null> {
  let topLevel = topLevels.get(dir);
  if (!topLevel) {
    topLevel = git(dir, ["rev-parse", "--show-toplevel"]).then((result) => (result.exitCode === 0 ? result.stdout.trim() : null));
    topLevels.set(dir, topLevel);
  }
  return topLevel;
}

/** True when `dir` is inside a git directory: a bare repository, or the `.git` of a work tree. */
export async function insideGitDir(dir: string): Promise<boolean> {
  const result = await git(dir, ["rev-parse", "--is-inside-git-dir"]);
  return result.exitCode === 0 && result.stdout.trim() === "true";
}

/** Runs a git command that lists paths with -z, relative to `cwd`; git failing is an error. */
export async function gitPaths(cwd: string, args: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const result = await git(cwd, ["-c", "core.quotePath=false", ...args], signal, { stripFinalNewline: false });
  if (result.exitCode !== 0) throw new Error(failure(args, result));
  return result.stdout.split("\0").filter((entry) => entry !== "");
}

/** Full commit ids already found in this process, per repository directory: such an id names the same commit for good. */
const knownCommits = new Set<string>();

/** The commit id `revision` names, or null when it names no commit. */
export async function resolveCommit(cwd: string, revision: string, signal?: AbortSignal): Promise<string | null> {
  // A plain scan checks the last passing commit and then diffs from it: one git process, not two, on the warm path.
  if (knownCommits.has(`${cwd}\0${revision}`)) return revision;
  const result = await git(cwd, ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], signal);
  if (result.exitCode !== 0) return null;
  const commit = result.stdout.trim();
  if (commit === revision) knownCommits.add(`${cwd}\0${commit}`);
  return commit;
}

/** True when the repository has at least one commit (HEAD resolves). */
export async function hasHead(cwd: string, signal?: AbortSignal): Promise<boolean> {
  return (await resolveCommit(cwd, "HEAD", signal)) !== null;
}
