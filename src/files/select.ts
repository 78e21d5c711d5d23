import { lstat } from "node:fs/promises";
import path from "node:path";
import ignore from "ignore";
import { changedFiles, filesSince, lastCommitFiles, stagedFiles } from "./git-changes.js";
import { gitPaths, gitTopLevel } from "./git.js";
import { SelectionError } from "../core/errors.js";
import { walkFiles } from "./walk.js";

/** Which files a scan covers. */
export type Selection =
  | { mode: "all" }
  | { mode: "changed" }
  /** Paths as the user typed them, relative to `cwd`. */
  | { mode: "paths"; paths: readonly string[]; cwd: string }
  /** What the next commit adds or changes, as staged in the index. */
  | { mode: "staged" }
  /** What changed since the work forked from `ref` (`ref...`), work tree and untracked files included. */
  | { mode: "since"; ref: string }
  /** What the last commit added or changed. */
  | { mode: "last-commit" };

// Questions about git history: outside git they have no answer.
const GIT_ONLY: ReadonlySet<Selection["mode"]> = new Set(["staged", "since", "last-commit"]);

async function isRegularFile(root: string, relative: string): Promise<boolean> {
  try {
    return (await lstat(path.join(root, relative))).isFile();
  } catch {
    return false; // deleted in the work tree: never hand it to a tool
  }
}

async function underPath(root: string, inGit: boolean, relative: string, signal?: AbortSignal): Promise<string[]> {
  if (!inGit) return walkFiles(root, relative);
  return gitPaths(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", relative], signal);
}

async function namedPaths(root: string, inGit: boolean, cwd: string, paths: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const files: string[] = [];
  for (const named of paths) {
    const absolute = path.resolve(cwd, named);
    const relative = path.relative(root, absolute).split(path.sep).join("/");
    if (relative.startsWith("..") || path.isAbsolute(relative)) {
      throw new SelectionError(`${named}: outside the project root ${root}`);
    }
    let stats;
    try {
      stats = await lstat(absolute);
    } catch {
      throw new SelectionError(`${named}: no such file or directory`);
    }
    if (stats.isDirectory()) files.push(...(await underPath(root, inGit, relative === "" ? "." : relative, signal)));
    else files.push(relative);
  }
  return files;
}

/**
 * The project-relative files a scan covers: sorted, unique, existing regular files (for `staged`, regular files
 * in the index), minus `exclude` (gitignore-style patterns). Outside git, every file below the root counts as tracked.
 */
export async function selectFiles(root: string, selection: Selection, exclude: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const inGit = (await gitTopLevel(root)) !== null;
  if (!inGit && GIT_ONLY.has(selection.mode)) throw new SelectionError(`--${selection.mode} needs a git repository`);
  let candidates: string[];
  switch (selection.mode) {
    case "all":
      candidates = inGit ? await gitPaths(root, ["ls-files", "-z", "--cached"], signal) : await walkFiles(root);
      break;
    case "changed":
      candidates = inGit ? await changedFiles(root, signal) : await walkFiles(root);
      break;
    case "paths":
      candidates = await namedPaths(root, inGit, selection.cwd, selection.paths, signal);
      break;
    case "staged":
      candidates = await stagedFiles(root, signal);
      break;
    case "since":
      candidates = await filesSince(root, selection.ref, signal);
      break;
    case "last-commit":
      candidates = await lastCommitFiles(root, signal);
      break;
  }
  // Matching costs even with no patterns (a tenth of a warm scan of 574 files): only when there are some.
  const excluded = exclude.length > 0 ? ignore().add([...exclude]) : null;
  const unique = [...new Set(candidates)].filter((file) => !excluded?.ignores(file)).sort();
  // A staged file's content is in the index: the work tree may have changed or deleted it since.
  if (selection.mode === "staged") return unique;
  const existing = await Promise.all(unique.map((file) => isRegularFile(root, file)));
  return unique.filter((_, index) => existing[index]);
}
