import { constants } from "node:fs";
import { access, copyFile, link, mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";

/**
 * A worker's own content-addressed store of the files it was shipped (`<cache>/queue-blobs/<2 hex>/<sha256>`), so a
 * file is fetched from Redis once per worker, whatever the task or project. Blobs are written read-only: the task
 * trees are hard links to them, and no tool writes to its input (README, "No tool writes").
 */
export class BlobCache {
  constructor(private readonly dir: string) {}

  private pathOf(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  /** The hashes among `hashes` not in the cache. */
  async missing(hashes: Iterable<string>): Promise<string[]> {
    const unique = [...new Set(hashes)];
    const present = await Promise.all(
      unique.map((hash) =>
        access(this.pathOf(hash), constants.F_OK).then(
          () => true,
          () => false,
        ),
      ),
    );
    return unique.filter((_, index) => !present[index]);
  }

  /** Stores one blob (already checked against its hash); written beside and renamed, so a reader never sees half of it. */
  async put(hash: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(hash);
    await mkdir(path.dirname(target), { recursive: true });
    // Two tasks may fetch the same blob at once: each writes its own partial file, and either rename is right.
    const partial = `${target}.${randomUUID()}.partial`;
    await writeFile(partial, bytes, { mode: 0o444 });
    await rename(partial, target);
  }

  /**
   * Lays `tree` out under `dir` (empty, the task's own), as hard links to the cache, or copies where linking is refused
   * (another filesystem). Paths were checked to stay inside `dir` (protocol.ts), and only directories and regular files
   * are made, so nothing a job names can reach outside it.
   */
  async materialise(tree: readonly (readonly [string, string])[], dir: string): Promise<void> {
    const dirs = new Set(tree.map(([file]) => path.dirname(path.join(dir, file))));
    for (const parent of [...dirs].sort()) await mkdir(parent, { recursive: true });
    await Promise.all(
      tree.map(async ([file, hash]) => {
        const target = path.join(dir, file);
        await link(this.pathOf(hash), target).catch(() => copyFile(this.pathOf(hash), target));
      }),
    );
  }
}
