import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import ignore from "ignore";

// Directories a project outside git never wants scanned: VCS data, environments, caches.
const SKIPPED_DIRS = new Set(["node_modules", "__pycache__", "venv", "site-packages"]);

/** Every regular file below `root` (project-relative POSIX paths), for projects that are not git repositories. */
export async function walkFiles(root: string, start = ""): Promise<string[]> {
  const gitignore = ignore();
  try {
    gitignore.add(await readFile(path.join(root, ".gitignore"), "utf8"));
  } catch {
    // no .gitignore: nothing more to skip
  }
  const files: string[] = [];
  async function visit(relativeDir: string): Promise<void> {
    const entries = await readdir(path.join(root, relativeDir), { withFileTypes: true });
    for (const entry of entries) {
      const relative = relativeDir === "" ? entry.name : `${relativeDir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name.startsWith(".") || SKIPPED_DIRS.has(entry.name) || gitignore.ignores(`${relative}/`)) continue;
        await visit(relative);
      } else if (entry.isFile() && !gitignore.ignores(relative)) {
        files.push(relative);
      }
    }
  }
  await visit(start);
  return files;
}
