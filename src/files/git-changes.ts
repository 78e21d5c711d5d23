import { git, gitPaths, hasHead, resolveCommit } from "./git.js";
import { SelectionError } from "../core/errors.js";

const UNTRACKED = ["ls-files", "-z", "--others", "--exclude-standard"];
// Added, copied, modified, renamed (listed under the new name): never a deleted path.
const LEFT_BEHIND = "--diff-filter=ACMR";

/** Files changed in the work tree or index against HEAD, plus untracked ones; with no commit yet, the whole index. */
export async function changedFiles(root: string, signal?: AbortSignal): Promise<string[]> {
  const untracked = await gitPaths(root, UNTRACKED, signal);
  if (!(await hasHead(root, signal))) return [...(await gitPaths(root, ["ls-files", "-z", "--cached"], signal)), ...untracked];
  return [...(await gitPaths(root, ["diff", "--name-only", "-z", "--relative", "HEAD"], signal)), ...untracked];
}

/** Files whose index entry is a regular file (not a symlink or submodule), as the index stages them. */
async function regularInIndex(root: string, signal?: AbortSignal): Promise<Set<string>> {
  // Each entry reads "<mode> <object> <stage>\t<path>".
  const entries = await gitPaths(root, ["ls-files", "-z", "--stage"], signal);
  return new Set(entries.filter((entry) => /^100(644|755) /.test(entry)).map((entry) => entry.slice(entry.indexOf("\t") + 1)));
}

/**
 * Files the next commit adds, copies, modifies or renames; with no commit yet, the whole index. Their content is
 * in the index, so the work tree is not consulted; the index must hold a regular file, as a tool takes no other.
 */
export async function stagedFiles(root: string, signal?: AbortSignal): Promise<string[]> {
  // With no HEAD, git diff --cached compares against the empty tree: every staged file counts as added.
  const [staged, regular] = await Promise.all([
    gitPaths(root, ["diff", "--cached", "--name-only", "-z", "--relative", LEFT_BEHIND], signal),
    regularInIndex(root, signal),
  ]);
  return staged.filter((file) => regular.has(file));
}

async function mergeBase(root: string, commit: string, signal?: AbortSignal): Promise<string | null> {
  const result = await git(root, ["merge-base", commit, "HEAD"], signal);
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/**
 * Files changed since `ref` forked from HEAD (`ref...`): from their merge base to the work tree, plus untracked
 * files. Without a merge base (unrelated histories, no commit yet), from `ref` itself.
 */
export async function filesSince(root: string, ref: string, signal?: AbortSignal): Promise<string[]> {
  const commit = await resolveCommit(root, ref, signal);
  if (commit === null) throw new SelectionError(`--since ${ref}: unknown revision`);
  const base = (await mergeBase(root, commit, signal)) ?? commit;
  const [changed, untracked] = await Promise.all([
    gitPaths(root, ["diff", "--name-only", "-z", "--relative", LEFT_BEHIND, base, "--"], signal),
    gitPaths(root, UNTRACKED, signal),
  ]);
  return [...changed, ...untracked];
}

/** Files the last commit added, copied, modified or renamed; for a root commit, every file in it. */
export async function lastCommitFiles(root: string, signal?: AbortSignal): Promise<string[]> {
  if (!(await hasHead(root, signal))) throw new SelectionError("--last-commit: the repository has no commit yet");
  if ((await resolveCommit(root, "HEAD^", signal)) === null) return gitPaths(root, ["ls-tree", "-r", "-z", "--name-only", "HEAD"], signal);
  return gitPaths(root, ["diff", "--name-only", "-z", "--relative", LEFT_BEHIND, "HEAD^", "HEAD", "--"], signal);
}
