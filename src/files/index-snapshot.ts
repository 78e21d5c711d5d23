import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { gitTopLevel } from "./git.js";
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
export async function snapshotIndex(root: string): Promise<IndexSnapshot> {
  const top = await gitTopLevel(root);
  if (top === null) throw new SelectionError("--staged needs a git repository");
  // The project may be a subdirectory of the repository: find it again inside the snapshot.
  const prefix = (await execa("git", ["rev-parse", "--show-prefix"], { cwd: root, stdin: "ignore" })).stdout;
  const tmp = await mkdtemp(path.join(os.tmpdir(), "jackpool-index-"));
  const dispose = (): Promise<void> => rm(tmp, { recursive: true, force: true });
  try {
    // Run at the top level: from a subdirectory, checkout-index --all writes only that subdirectory's files.
    await execa("git", ["checkout-index", "--all", `--prefix=${tmp}/`], { cwd: top, stdin: "ignore" });
    const dir = path.join(tmp, prefix);
    await mkdir(dir, { recursive: true }); // a project with nothing in the index still gets its directory
    return { dir, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
