import { lstat } from "node:fs/promises";
import path from "node:path";
import ignore from "ignore";
import { gitPaths, gitTopLevel, hasHead } from "./git.js";
import { walkFiles } from "./walk.js";
import { UserError } from "../user-error.js";

/** Which files a scan covers. */
export type Selection =
  | { mode: "all" }
  | { mode: "changed" }
  /** Paths as the user typed them, relative to `cwd`. */
  | { mode: "paths"; paths: readonly string[]; cwd: string };

/** A path the user named that cannot be scanned. */
export class SelectionError extends UserError {
  override readonly name = "SelectionError";
}

async function isRegularFile(root: string, relative: string): Promise<boolean> {
  try {
    return (await lstat(path.join(root, relative))).isFile();
  } catch {
    return false; // deleted in the work tree: never hand it to a tool
  }
}

async function changedInGit(root: string): Promise<string[]> {
  const untracked = await gitPaths(root, ["ls-files", "-z", "--others", "--exclude-standard"]);
  if (!(await hasHead(root))) return [...(await gitPaths(root, ["ls-files", "-z", "--cached"])), ...untracked];
  return [...(await gitPaths(root, ["diff", "--name-only", "-z", "--relative", "HEAD"])), ...untracked];
}

async function underPath(root: string, inGit: boolean, relative: string): Promise<string[]> {
  if (!inGit) return walkFiles(root, relative);
  return gitPaths(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", relative]);
}

async function namedPaths(root: string, inGit: boolean, cwd: string, paths: readonly string[]): Promise<string[]> {
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
    if (stats.isDirectory()) files.push(...(await underPath(root, inGit, relative === "" ? "." : relative)));
    else files.push(relative);
  }
  return files;
}

/**
 * The project-relative files a scan covers: sorted, unique, existing regular files, minus `exclude`
 * (gitignore-style patterns). Outside git, every file below the root counts as tracked.
 */
export async function selectFiles(root: string, selection: Selection, exclude: readonly string[]): Promise<string[]> {
  const inGit = (await gitTopLevel(root)) !== null;
  let candidates: string[];
  switch (selection.mode) {
    case "all":
      candidates = inGit ? await gitPaths(root, ["ls-files", "-z", "--cached"]) : await walkFiles(root);
      break;
    case "changed":
      candidates = inGit ? await changedInGit(root) : await walkFiles(root);
      break;
    case "paths":
      candidates = await namedPaths(root, inGit, selection.cwd, selection.paths);
      break;
  }
  const excluded = ignore().add([...exclude]);
  const unique = [...new Set(candidates)].filter((file) => !excluded.ignores(file)).sort();
  const existing = await Promise.all(unique.map((file) => isRegularFile(root, file)));
  return unique.filter((_, index) => existing[index]);
}
