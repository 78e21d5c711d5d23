import path from "node:path";
import { findConfigFile } from "./config/load.js";
import { gitTopLevel } from "./files/git.js";

/** The project a scan covers: where `.crackerjack.yaml` is, else the git work tree, else `cwd`. */
export async function findProjectRoot(cwd: string): Promise<string> {
  const configFile = findConfigFile(cwd);
  if (configFile !== null) return path.dirname(configFile);
  return (await gitTopLevel(cwd)) ?? path.resolve(cwd);
}
