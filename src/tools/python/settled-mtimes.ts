import { stat } from "node:fs/promises";
import path from "node:path";

/**
 * Resolves once the newest modification time of `files` (relative to `cwd`) lies in a past second. mypy's
 * incremental cache takes a file whose size and whole-second mtime match its record as unchanged, without reading
 * it: a file saved, checked and saved again within one second at the same size would be checked as it was before.
 * Starting mypy only after that second has passed gives every later save another mtime, so mypy reads it (git's rule
 * for racily clean files). Costs nothing unless a file was saved within the last second; files it cannot stat are
 * the tool's business.
 */
export async function settledMtimes(files: readonly string[], cwd: string): Promise<void> {
  let newest = 0;
  await Promise.all(
    files.map(async (file) => {
      try {
        newest = Math.max(newest, (await stat(path.resolve(cwd, file))).mtimeMs);
      } catch {
        // gone or unreadable: mypy says so itself
      }
    }),
  );
  // A timer can fire a little before the wall clock reaches its time: wait until the clock itself is past the second.
  const settled = (Math.floor(newest / 1000) + 1) * 1000;
  for (let wait = settled - Date.now(); wait > 0; wait = settled - Date.now()) await new Promise((resolve) => setTimeout(resolve, wait));
}
