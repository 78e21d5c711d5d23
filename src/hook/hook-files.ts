import { lstat, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { git, gitTopLevel } from "../files/git.js";
import { UserError } from "../core/errors.js";
import { CHAINED_HOOK_NAME, hookOwner, type HookOwner } from "./hook-script.js";

/** Where the pre-commit hook of a repository lives, and where a hook it chains is kept. */
export interface HookFiles {
  /** The top level of the work tree: git runs hooks there. */
  top: string;
  dir: string;
  hook: string;
  chained: string;
}

/**
 * The hook files of the repository around `cwd`. `git rev-parse --git-path hooks` knows core.hooksPath
 * (absolute, relative to the top of the work tree, or `~/`) and that linked worktrees share the main one's hooks.
 */
export async function locateHookFiles(cwd: string, command: string): Promise<HookFiles> {
  const top = await gitTopLevel(cwd);
  if (top === null) throw new UserError(`${command}: ${path.resolve(cwd)} is not in a git work tree`);
  // Asked from the top, so a relative core.hooksPath means the same to git and to path.resolve.
  const asked = await git(top, ["rev-parse", "--git-path", "hooks"]);
  if (asked.exitCode !== 0) throw new UserError(`${command}: git rev-parse --git-path hooks failed: ${asked.stderr.trim()}`);
  const dir = path.resolve(top, asked.stdout.trim());
  return { top, dir, hook: path.join(dir, "pre-commit"), chained: path.join(dir, CHAINED_HOOK_NAME) };
}

/** True when something (a file, a link, even a dangling one) is at `file`. */
export async function present(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** Who the hook at `file` belongs to, or "absent". A hook that cannot be read as text is someone else's. */
export async function hookState(file: string): Promise<HookOwner | "absent"> {
  if (!(await present(file))) return "absent";
  try {
    return hookOwner(await readFile(file, "utf8"));
  } catch {
    return "other";
  }
}

/** Writes an executable hook atomically: a commit running at the same time sees the old hook or the new one. */
export async function writeHook(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.jackpool-${process.pid}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o755 });
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Runs `work` on the hook files; a file-system failure (hooks directory not writable, not a directory, ...)
 * becomes one line naming the directory.
 */
export async function onHookFiles<T>(command: string, files: HookFiles, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof UserError || typeof code !== "string") throw error;
    // Node's messages read "EACCES: permission denied, open '/path'": keep the part before the path.
    const reason = (error as Error).message.split(", ")[0] ?? code;
    throw new UserError(`${command}: cannot change the hooks directory ${files.dir}: ${reason}`);
  }
}
