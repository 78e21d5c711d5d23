import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

/** jackpool's per-project state directory (markers, logs, caches); never committed. */
function stateDir(root: string): string {
  return path.join(root, ".crackerjack");
}

/** Reads `.crackerjack/<name>` as JSON; undefined when it is missing or unreadable. */
export async function readProjectState(root: string, name: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path.join(stateDir(root), name), "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Writes `.crackerjack/<name>` as JSON, atomically (temp file, then rename), so concurrent scans never leave
 * a torn file; the directory gets a `.gitignore` so none of it is ever committed. Returns false when it
 * cannot write: this state only saves work, and a read-only project must still scan.
 */
export async function writeProjectState(root: string, name: string, value: unknown): Promise<boolean> {
  try {
    const dir = stateDir(root);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, ".gitignore"), "*\n");
    const file = path.join(dir, name);
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(value));
    await rename(temporary, file);
    return true;
  } catch {
    return false;
  }
}
