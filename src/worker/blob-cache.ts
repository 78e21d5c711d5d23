import { constants } from "node:fs";
import { access, chmod, copyFile, link, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Tree } from "../backends/queue/protocol.js";

/**
 * A worker's own content-addressed store of the files it was shipped (`<cache>/queue-blobs/<2 hex>/<sha256>`), so a
 * file is fetched from Redis once per worker, whatever the task or project. Blobs are written read-only: the task
 * trees are hard links to them, and no tool writes to its input (README, "No tool writes").
 */
export class BlobCache {
  /** Contents being fetched for a task, which another task wanting them waits for instead of fetching them again. */
  private readonly arriving = new Map<string, Promise<void>>();

  constructor(private readonly dir: string) {}

  private pathOf(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), hash);
  }

  /** The hashes among `hashes` not in the cache. */
  private async missing(hashes: Iterable<string>): Promise<string[]> {
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

  /**
   * Makes sure every content of `hashes` is in the cache: fetches (`fetch`, one round trip) those neither there nor
   * on their way for another task, and waits for those that are. Returns how many this call fetched.
   */
  async ensure(hashes: Iterable<string>, fetch: (hashes: string[]) => Promise<Map<string, Buffer>>): Promise<number> {
    const wanted = [...new Set(hashes)];
    const absent = (await this.missing(wanted.filter((hash) => !this.arriving.has(hash)))).filter((hash) => !this.arriving.has(hash));
    if (absent.length > 0) {
      const fetching = fetch(absent).then((blobs) => inBatches([...blobs], ([hash, bytes]) => this.put(hash, bytes)));
      for (const hash of absent)
        this.arriving.set(
          hash,
          fetching.finally(() => this.arriving.delete(hash)),
        );
    }
    await Promise.all(wanted.map((hash) => this.arriving.get(hash) ?? Promise.resolve()));
    return absent.length;
  }

  /** Stores one blob (already checked against its hash); written beside and renamed, so a reader never sees half of it. */
  private async put(hash: string, bytes: Uint8Array): Promise<void> {
    const target = this.pathOf(hash);
    await mkdir(path.dirname(target), { recursive: true });
    // Two tasks may fetch the same blob at once: each writes its own partial file, and either rename is right.
    const partial = `${target}.${randomUUID()}.partial`;
    await writeFile(partial, bytes, { mode: 0o444 });
    await rename(partial, target);
  }

  /** A blob's bytes (one the cache has). */
  read(hash: string): Promise<Buffer> {
    return readFile(this.pathOf(hash));
  }

  /**
   * Lays `files` out under `dir` (empty), as hard links to the cache, or copies where linking is refused (another
   * filesystem); executable files are copies made executable, since links share their blob's mode. Paths were checked
   * to stay inside `dir` (protocol.ts), and only directories and regular files are made, so nothing a tree names can
   * reach outside it.
   */
  async materialise(files: Tree["files"], dir: string): Promise<void> {
    const dirs = new Set(files.map(([file]) => path.dirname(path.join(dir, file))));
    for (const parent of [...dirs].sort()) await mkdir(parent, { recursive: true });
    await inBatches(files, async ([file, hash, executable]) => {
      const target = path.join(dir, file);
      if (executable === 1) {
        await copyFile(this.pathOf(hash), target);
        await chmod(target, 0o755);
      } else await link(this.pathOf(hash), target).catch(() => copyFile(this.pathOf(hash), target));
    });
  }
}

/** How many file operations run at once: enough to keep the disk busy, few enough for any open-files limit. */
const FILE_CONCURRENCY = 64;

/** Runs `each` over `items`, FILE_CONCURRENCY at a time. */
export async function inBatches<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await each(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(FILE_CONCURRENCY, items.length) }, lane));
}
