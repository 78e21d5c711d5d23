import path from "node:path";

/** Turns a path a tool printed (absolute, `./x` or relative to its cwd) into a project-relative POSIX path. */
export function toProjectPath(cwd: string, reported: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, reported));
  // A problem of the project as a whole (skylos names the root when its analysis was incomplete) is on ".".
  return relative === "" ? "." : relative.split(path.sep).join("/");
}

/**
 * Makes a project-relative path impossible to read as an option: `--config=x.py` becomes `./--config=x.py`.
 * Used instead of `--` because some tools (refurb) give `--` a meaning of their own.
 */
export function asOperand(projectPath: string): string {
  return projectPath.startsWith("/") ? projectPath : `./${projectPath}`;
}
