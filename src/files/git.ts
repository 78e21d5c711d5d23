import { execa } from "execa";

// A process runs one command, during which no directory moves into or out of a repository: ask git once per directory.
const topLevels = new Map<string, Promise<string | null>>();

/** The top level of the git work tree containing `dir`, or null when `dir` is not in one. */
export function gitTopLevel(dir: string): Promise<string | null> {
  let topLevel = topLevels.get(dir);
  if (!topLevel) {
    topLevel = execa("git", ["rev-parse", "--show-toplevel"], { cwd: dir, reject: false, stdin: "ignore" }).then((result) =>
      result.exitCode === 0 ? result.stdout.trim() : null,
    );
    topLevels.set(dir, topLevel);
  }
  return topLevel;
}

/** True when `dir` is inside a git directory: a bare repository, or the `.git` of a work tree. */
export async function insideGitDir(dir: string): Promise<boolean> {
  const result = await execa("git", ["rev-parse", "--is-inside-git-dir"], { cwd: dir, reject: false, stdin: "ignore" });
  return result.exitCode === 0 && result.stdout.trim() === "true";
}

/** Runs a git command that lists paths with -z, relative to `cwd`; git failing is an error. */
export async function gitPaths(cwd: string, args: readonly string[]): Promise<string[]> {
  const result = await execa("git", ["-c", "core.quotePath=false", ...args], {
    cwd,
    reject: false,
    stdin: "ignore",
    stripFinalNewline: false,
  });
  if (result.exitCode !== 0) {
    throw new Error(`git ${args.join(" ")} failed: ${result.stderr.trim().split("\n")[0] ?? ""}`);
  }
  return result.stdout.split("\0").filter((entry) => entry !== "");
}

/** The commit id `revision` names, or null when it names no commit. */
export async function resolveCommit(cwd: string, revision: string): Promise<string | null> {
  const result = await execa("git", ["rev-parse", "--verify", "--quiet", `${revision}^{commit}`], { cwd, reject: false, stdin: "ignore" });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** True when the repository has at least one commit (HEAD resolves). */
export async function hasHead(cwd: string): Promise<boolean> {
  return (await resolveCommit(cwd, "HEAD")) !== null;
}
