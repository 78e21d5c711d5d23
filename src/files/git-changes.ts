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

/**
 * Files git sees renamed between `commit` and the work tree (index included), old name → new name, relative to
 * `root`. A `git mv` is found at once; a plain `mv` once both names are staged.
 */
export async function renamesSince(root: string, commit: string, signal?: AbortSignal): Promise<Map<string, string>> {
  const fields = await gitPaths(root, ["diff", "--name-status", "-z", "-M", "--relative", "--diff-filter=R", commit, "--"], signal);
  const renames = new Map<string, string>();
  for (let index = 0; index + 2 < fields.length; index += 3) renames.set(fields[index + 1]!, fields[index + 2]!);
  return renames;
}

/** The last commit that changed `file` (relative to `root`), or HEAD when none did; null with no commit at all. */
export async function lastCommitOf(root: string, file: string, signal?: AbortSignal): Promise<string | null> {
  const result = await git(root, ["log", "-1", "--format=%H", "--", file], signal);
  const commit = result.exitCode === 0 ? result.stdout.trim() : "";
  return commit !== "" ? commit : resolveCommit(root, "HEAD", signal);
}

/** Lines changed in each file: their numbers in the new version, or "all" for a file that is new as a whole. */
export type ChangedLines = Map<string, Set<number> | "all">;

/** A path as `git diff` prints it after `+++ b/`: C-quoted when it holds unusual characters. */
function diffPath(text: string): string {
  if (!text.startsWith('"')) return text;
  const bytes: number[] = [];
  const inner = text.slice(1, -1);
  const escapes: Record<string, number> = { n: 10, t: 9, '"': 34, "\\": 92, a: 7, b: 8, f: 12, r: 13, v: 11 };
  for (let index = 0; index < inner.length; index++) {
    const char = inner[index]!;
    if (char !== "\\") {
      bytes.push(...Buffer.from(char));
      continue;
    }
    const next = inner[index + 1]!;
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(inner.slice(index + 1, index + 4), 8));
      index += 3;
    } else {
      bytes.push(escapes[next] ?? next.charCodeAt(0));
      index += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The added lines of `git diff -U0` output, by file (the `+++ b/` name). */
export function parseChangedLines(diff: string): ChangedLines {
  const changed: ChangedLines = new Map();
  let current: Set<number> | null = null;
  for (const line of diff.split("\n")) {
    if (line.startsWith("+++ ")) {
      const name = line.slice(4);
      current = name === "/dev/null" ? null : new Set();
      if (current) changed.set(diffPath(name).replace(/^b\//, ""), current);
      continue;
    }
    const hunk = /^@@ -\S+ \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      for (let number = start; number < start + count; number++) current.add(number);
    }
  }
  return changed;
}

/** The lines changed since `ref` forked from HEAD (as `filesSince` chooses files): the diff to the work tree, and untracked files whole. */
export async function changedLinesSince(root: string, ref: string, signal?: AbortSignal): Promise<ChangedLines> {
  const commit = await resolveCommit(root, ref, signal);
  if (commit === null) throw new SelectionError(`--since ${ref}: unknown revision`);
  const base = (await mergeBase(root, commit, signal)) ?? commit;
  const args = [
    "-c",
    "core.quotePath=false",
    "diff",
    "-U0",
    "--no-color",
    "--no-ext-diff",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "--relative",
    "-M",
    base,
    "--",
  ];
  const [diff, untracked] = await Promise.all([git(root, args, signal), gitPaths(root, UNTRACKED, signal)]);
  if (diff.exitCode !== 0) throw new SelectionError(`--changed-lines: git diff ${base} failed: ${diff.stderr.trim().split("\n")[0] ?? ""}`);
  const changed = parseChangedLines(diff.stdout);
  for (const file of untracked) changed.set(file, "all");
  return changed;
}
