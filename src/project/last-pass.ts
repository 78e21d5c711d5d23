import { resolveCommit } from "../files/git.js";
import { readProjectState, writeProjectState } from "./state.js";

/** The marker of the last passing scan, per project. */
const MARKER = "last-pass.json";

/** The commit the last passing scan covered, if it is still in the repository. */
export async function lastPassingCommit(root: string): Promise<string | null> {
  const commit = ((await readProjectState(root, MARKER)) as { commit?: unknown } | undefined)?.commit;
  if (typeof commit !== "string" || !/^[0-9a-f]{40,64}$/.test(commit)) return null;
  return (await resolveCommit(root, commit)) === null ? null : commit;
}

/** Records that everything up to HEAD passed (false outside git, before the first commit, or if unwritable). */
export async function recordPass(root: string): Promise<boolean> {
  const head = await resolveCommit(root, "HEAD");
  if (!head) return false;
  return writeProjectState(root, MARKER, { commit: head, at: new Date().toISOString() });
}
