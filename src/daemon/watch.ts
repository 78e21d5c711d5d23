import { readFile } from "node:fs/promises";
import path from "node:path";
import { watch, type FSWatcher } from "chokidar";
import ignore, { type Ignore } from "ignore";

/** Directories never worth watching: git's own data, jackpool's state (the daemon writes there), environments. */
const NEVER = new Set([".git", ".crackerjack", "node_modules", "__pycache__", ".venv", ".mypy_cache", ".ruff_cache"]);

/** The project's ignore rules: its root `.gitignore`, `.git/info/exclude` and the config's `exclude`. */
async function ignoreRules(root: string, exclude: readonly string[]): Promise<Ignore> {
  const rules = ignore();
  for (const file of [".gitignore", path.join(".git", "info", "exclude")]) {
    try {
      rules.add(await readFile(path.join(root, file), "utf8"));
    } catch {
      // not there: nothing to add
    }
  }
  return rules.add([...exclude]);
}

/** A watched project tree: says which project files changed (project-relative POSIX paths). */
export interface ProjectWatch {
  /** Resolves once the first walk of the tree is done (events before it are not changes). */
  ready: Promise<void>;
  counts(): { directories: number; files: number };
  close(): Promise<void>;
}

/**
 * Watches `root` with chokidar (README, "Daemon", says why chokidar), skipping what git ignores (the root
 * `.gitignore` and `.git/info/exclude`), the config's `exclude`, and directories that are never source. Ignored
 * directories are not descended into, so a large `build/` costs nothing. `onChange` gets each changed, added or
 * removed file; `onError` a watcher that failed after its first walk (the daemon then stops: it cannot know what
 * changed); `ready` rejects when it fails before.
 */
export async function watchProject(
  root: string,
  exclude: readonly string[],
  onChange: (relative: string) => void,
  onError: (error: Error) => void,
): Promise<ProjectWatch> {
  const rules = await ignoreRules(root, exclude);
  const ignored = (absolute: string, stats?: { isDirectory(): boolean }): boolean => {
    const relative = path.relative(root, absolute).split(path.sep).join("/");
    if (relative === "" || relative.startsWith("../")) return false;
    if (relative.split("/").some((part) => NEVER.has(part))) return true;
    return rules.ignores(relative) || (stats?.isDirectory() === true && rules.ignores(`${relative}/`));
  };
  const watcher: FSWatcher = watch(root, { ignored, ignoreInitial: true, followSymlinks: false, persistent: true });
  let watching = false;
  // A failure during the first walk (no inotify watches left, a filesystem that refuses watching) fails `ready`:
  // a daemon that cannot see every change must not start. After it, `onError` says the watch broke.
  const ready = new Promise<void>((resolve, reject) => {
    watcher.once("ready", () => {
      watching = true;
      resolve();
    });
    watcher.on("error", (error) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      if (watching) onError(failure);
      else reject(failure);
    });
  });
  watcher.on("all", (event, file) => {
    if (event === "addDir" || event === "unlinkDir") return;
    onChange(path.relative(root, file).split(path.sep).join("/"));
  });
  return {
    ready,
    counts() {
      const watched = watcher.getWatched();
      const directories = Object.keys(watched).length;
      let files = 0;
      for (const [dir, names] of Object.entries(watched)) for (const name of names) if (!(path.join(dir, name) in watched)) files++;
      return { directories, files };
    },
    close: () => watcher.close(),
  };
}
