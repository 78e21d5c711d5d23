import { resolveCommit } from "./git.js";
import type { Selection } from "./select.js";
import { readProjectState, writeProjectState } from "../state/project-state.js";

/** The marker of the last passing scan, per project. */
const MARKER = "last-pass.json";

/** The commit the last passing scan covered, if it is still in the repository. */
export async function lastPassingCommit(root: string, signal?: AbortSignal): Promise<string | null> {
  const commit = ((await readProjectState(root, MARKER)) as { commit?: unknown } | undefined)?.commit;
  if (typeof commit !== "string" || !/^[0-9a-f]{40,64}$/.test(commit)) return null;
  return (await resolveCommit(root, commit, signal)) === null ? null : commit;
}

/** Records that everything up to HEAD passed (false outside git, before the first commit, or if unwritable). */
export async function recordPass(root: string): Promise<boolean> {
  const head = await resolveCommit(root, "HEAD");
  if (!head) return false;
  return writeProjectState(root, MARKER, { commit: head, at: new Date().toISOString() });
}

/**
 * A plain `jackpool scan` covers what changed since the last scan that passed (its commit, plus work-tree
 * changes); with no such scan on record, what changed since HEAD.
 */
export async function defaultSelection(root: string, selection: Selection, signal?: AbortSignal): Promise<Selection> {
  if (selection.mode !== "changed") return selection;
  const commit = await lastPassingCommit(root, signal);
  return commit === null ? selection : { mode: "since", ref: commit };
}
