import path from "node:path";
import { findConfigFile } from "./load.js";
import { gitTopLevel, insideGitDir } from "../files/git.js";
import { UserError } from "../core/errors.js";

/**
 * The project a scan covers: where `.crackerjack.yaml` is, else the git work tree, else `cwd`. A git directory (a
 * bare repository, a `.git`) is no project: its files are git's objects, and jackpool would write `.crackerjack/`
 * into it.
 */
export async function findProjectRoot(cwd: string): Promise<string> {
  const configFile = findConfigFile(cwd);
  if (configFile !== null) return path.dirname(configFile);
  const topLevel = await gitTopLevel(cwd);
  if (topLevel !== null) return topLevel;
  if (await insideGitDir(cwd)) {
    throw new UserError(
      `${path.resolve(cwd)} is a git directory (a bare repository or a .git), with no work tree to scan; run jackpool in a clone or a worktree`,
    );
  }
  return path.resolve(cwd);
}
