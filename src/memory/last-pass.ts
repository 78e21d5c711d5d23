import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";

/** Where the marker of the last passing scan lives, per project. */
function markerFile(root: string): string {
  return path.join(root, ".crackerjack", "last-pass.json");
}

async function git(root: string, args: string[]): Promise<string | null> {
  const result = await execa("git", args, { cwd: root, reject: false, stdin: "ignore" });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** The commit the last passing scan covered, if it is still in the repository. */
export async function lastPassingCommit(root: string): Promise<string | null> {
  let commit: unknown;
  try {
    commit = (JSON.parse(await readFile(markerFile(root), "utf8")) as { commit?: unknown }).commit;
  } catch {
    return null;
  }
  if (typeof commit !== "string" || !/^[0-9a-f]{40,64}$/.test(commit)) return null;
  return (await git(root, ["cat-file", "-e", `${commit}^{commit}`])) === null ? null : commit;
}

/** Records that everything up to HEAD passed; a no-op outside git or before the first commit. */
export async function recordPass(root: string): Promise<void> {
  const head = await git(root, ["rev-parse", "--verify", "--quiet", "HEAD"]);
  if (!head) return;
  const file = markerFile(root);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(path.join(path.dirname(file), ".gitignore"), "*\n");
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ commit: head, at: new Date().toISOString() }));
  await rename(temporary, file);
}
