import { lstat } from "node:fs/promises";
import path from "node:path";
import ignore from "ignore";
import { printable } from "../text/printable.js";
import { git, gitTopLevel } from "./git.js";

/** Git's file mode of a submodule's entry in the index (a "gitlink"). */
const GITLINK_MODE = "160000";

/** Why a named path gave no file: it is there (selectFiles refused names that are not), but holds nothing scanned. */
async function whyNothing(root: string, relative: string, exclude: readonly string[], signal?: AbortSignal): Promise<string> {
  const stats = await lstat(path.join(root, relative));
  if (stats.isSymbolicLink()) return "a symbolic link: jackpool scans regular files, so name the file it points to";
  if (!stats.isDirectory() && !stats.isFile()) return "not a regular file";
  const excluded =
    exclude.length > 0 &&
    ignore()
      .add([...exclude])
      .ignores(stats.isDirectory() ? `${relative}/` : relative);
  if (excluded) return "excluded by pool_scanning.exclude";
  if (stats.isDirectory() && (await gitTopLevel(root)) !== null) {
    const staged = await git(root, ["ls-files", "--stage", "--", relative], signal);
    if (staged.stdout.startsWith(`${GITLINK_MODE} `)) return "a git submodule: its files belong to another repository, so scan it there";
    if ((await git(root, ["check-ignore", "-q", "--", relative], signal)).exitCode === 0) return "ignored by git";
  }
  return stats.isDirectory() ? "no file in it that jackpool scans" : "not selected";
}

/**
 * One line for each path named on the command line that gave the scan no file, saying why (a symbolic link, a git
 * submodule, a directory git ignores, excluded by config), so an empty scan never passes unexplained. `selected` is
 * what the selection came to; `named` are the paths as typed, relative to `cwd`.
 */
export async function unscannedPaths(
  root: string,
  cwd: string,
  named: readonly string[],
  selected: readonly string[],
  exclude: readonly string[],
  signal?: AbortSignal,
): Promise<string[]> {
  const notes: string[] = [];
  for (const name of named) {
    const relative = path.relative(root, path.resolve(cwd, name)).split(path.sep).join("/");
    const covers = (file: string): boolean => relative === "" || file === relative || file.startsWith(`${relative}/`);
    if (selected.some(covers)) continue;
    notes.push(`${printable(name)}: nothing scanned: ${await whyNothing(root, relative, exclude, signal)}`);
  }
  return notes;
}
