import { execa } from "execa";
import { gitPaths, hasHead, resolveCommit } from "./git.js";
import { SelectionError } from "../core/errors.js";

const UNTRACKED = ["ls-files", "-z", "--others", "--exclude-standard"];
// Added, copied, modified, renamed (listed under the new name): never a deleted path.
const LEFT_BEHIND = "--diff-filter=ACMR";

/** Files changed in the work tree or index against HEAD, plus untracked ones; with no commit yet, the whole index. */
export async function changedFiles(root: string): Promise<string[]> {
  const untracked = await gitPaths(root, UNTRACKED);
  if (!(await hasHead(root))) return [...(await gitPaths(root, ["ls-files", "-z", "--cached"])), ...untracked];
  return [...(await gitPaths(root, ["diff", "--name-only", "-z", "--relative", "HEAD"])), ...untracked];
}

/** Files whose index entry is a regular file (not a symlink or submodule), as the index stages them. */
async function regularInIndex(root: string): Promise<Set<string>> {
  // Each entry reads "<mode> <object> <stage>\t<path>".
  const entries = await gitPaths(root, ["ls-files", "-z", "--stage"]);
  return new Set(entries.filter((entry) => /^100(644|755) /.test(entry)).map((entry) => entry.slice(entry.indexOf("\t") + 1)));
}

/**
 * Files the next commit adds, copies, modifies or renames; with no commit yet, the whole index. Their content is
 * in the index, so the work tree is not consulted; the index must hold a regular file, as a tool takes no other.
 */
export async function stagedFiles(root: string): Promise<string[]> {
  // With no HEAD, git diff --cached compares against the empty tree: every staged file counts as added.
  const [staged, regular] = await Promise.all([
    gitPaths(root, ["diff", "--cached", "--name-only", "-z", "--relative", LEFT_BEHIND]),
    regularInIndex(root),
  ]);
  return staged.filter((file) => regular.has(file));
}

async function mergeBase(root: string, commit: string): Promise<string | null> {
  const result = await execa("git", ["merge-base", commit, "HEAD"], { cwd: root, reject: false, stdin: "ignore" });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/**
 * Files changed since `ref` forked from HEAD (`ref...`): from their merge base to the work tree, plus untracked
 * files. Without a merge base (unrelated histories, no commit yet), from `ref` itself.
 */
export async function filesSince(root: string, ref: string): Promise<string[]> {
  const commit = await resolveCommit(root, ref);
  if (commit === null) throw new SelectionError(`--since ${ref}: unknown revision`);
  const base = (await mergeBase(root, commit)) ?? commit;
  const [changed, untracked] = await Promise.all([
    gitPaths(root, ["diff", "--name-only", "-z", "--relative", LEFT_BEHIND, base, "--"]),
    gitPaths(root, UNTRACKED),
  ]);
  return [...changed, ...untracked];
}

/** Files the last commit added, copied, modified or renamed; for a root commit, every file in it. */
export async function lastCommitFiles(root: string): Promise<string[]> {
  if (!(await hasHead(root))) throw new SelectionError("--last-commit: the repository has no commit yet");
  if ((await resolveCommit(root, "HEAD^")) === null) return gitPaths(root, ["ls-tree", "-r", "-z", "--name-only", "HEAD"]);
  return gitPaths(root, ["diff", "--name-only", "-z", "--relative", LEFT_BEHIND, "HEAD^", "HEAD", "--"]);
}
