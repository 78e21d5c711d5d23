import { execa } from "execa";
import { readProjectState, writeProjectState } from "../project-state.js";

/** The marker of the last passing scan, per project. */
const MARKER = "last-pass.json";

async function git(root: string, args: string[]): Promise<string | null> {
  const result = await execa("git", args, { cwd: root, reject: false, stdin: "ignore" });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** The commit the last passing scan covered, if it is still in the repository. */
export async function lastPassingCommit(root: string): Promise<string | null> {
  const commit = ((await readProjectState(root, MARKER)) as { commit?: unknown } | undefined)?.commit;
  if (typeof commit !== "string" || !/^[0-9a-f]{40,64}$/.test(commit)) return null;
  return (await git(root, ["cat-file", "-e", `${commit}^{commit}`])) === null ? null : commit;
}

/** Records that everything up to HEAD passed (false outside git, before the first commit, or if unwritable). */
export async function recordPass(root: string): Promise<boolean> {
  const head = await git(root, ["rev-parse", "--verify", "--quiet", "HEAD"]);
  if (!head) return false;
  return writeProjectState(root, MARKER, { commit: head, at: new Date().toISOString() });
}
