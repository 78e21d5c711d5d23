import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { git, gitTopLevel } from "./git.js";
import { SelectionError } from "../core/errors.js";

/** The git index written out to a temp directory; `dir` stands for the project root. */
export interface IndexSnapshot {
  dir: string;
  /** Removes the temp directory. */
  dispose(): Promise<void>;
}

/**
 * Writes every file of the git index containing `root` into a fresh temp directory, so tools see the bytes being
 * committed, even of partially staged files, and the staged state of their config files. Only reads the index:
 * the work tree and the index stay as they are.
 */
export async function snapshotIndex(root: string, signal?: AbortSignal): Promise<IndexSnapshot> {
  const top = await gitTopLevel(root);
  if (top === null) throw new SelectionError("--staged needs a git repository");
  // The project may be a subdirectory of the repository: find it again inside the snapshot.
  const asked = await git(root, ["rev-parse", "--show-prefix"], signal);
  if (asked.exitCode !== 0) throw new SelectionError(`--staged: git rev-parse --show-prefix failed: ${asked.stderr.trim()}`);
  const prefix = asked.stdout.trim();
  const tmp = await mkdtemp(path.join(os.tmpdir(), "jackpool-index-"));
  const dispose = (): Promise<void> => rm(tmp, { recursive: true, force: true });
  try {
    // Run at the top level: from a subdirectory, checkout-index --all writes only that subdirectory's files.
    const written = await git(top, ["checkout-index", "--all", `--prefix=${tmp}/`], signal);
    if (written.exitCode !== 0) throw new SelectionError(`--staged: git checkout-index failed: ${written.stderr.trim()}`);
    const dir = path.join(tmp, prefix);
    await mkdir(dir, { recursive: true }); // a project with nothing in the index still gets its directory
    return { dir, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
