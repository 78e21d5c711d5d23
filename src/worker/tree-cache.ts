import { randomUUID } from "node:crypto";
import { readdir, rename, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";
import { TREE_SCHEMA, type Tree } from "../backends/queue/protocol.js";
import type { BlobCache } from "./blob-cache.js";

/** Laid-out trees kept besides those in use: the versions of a project a worker is likely to be asked for again. */
const KEPT_TREES = 3;

/** Fetches blobs from the queue's Redis, checked against their hashes. */
type Fetch = (hashes: string[]) => Promise<Map<string, Buffer>>;

/** Why a tree is refused, or null when it is sound: every path inside, no file where another needs a directory. */
function treeProblem(tree: Tree): string | null {
  const paths = new Set(tree.files.map(([file]) => file));
  for (const file of paths)
    for (let parent = path.posix.dirname(file); parent !== "."; parent = path.posix.dirname(parent))
      if (paths.has(parent)) return `${file} is below ${parent}, which is a file`;
  return null;
}

/**
 * A worker's laid-out trees (`<cache>/queue-trees/<tree hash>/`): a task runs in the tree of its scan, laid out once
 * for every task of that scan and the scans after it while the project does not change, and shared by tasks at once
 * (no tool writes to its input). Made in a partial directory and renamed, so a tree is never seen half made; the least
 * recently used ones beyond KEPT_TREES go.
 */
export class TreeCache {
  private readonly laying = new Map<string, Promise<number>>();
  private readonly inUse = new Map<string, number>();

  constructor(
    private readonly dir: string,
    private readonly blobs: BlobCache,
  ) {}

  /** The tree `hash`, fetched if need be and checked; a string says why it is refused. */
  async read(hash: string, fetch: Fetch): Promise<Tree | string> {
    await this.blobs.ensure([hash], fetch);
    let data: unknown;
    try {
      data = JSON.parse((await this.blobs.read(hash)).toString("utf8"));
    } catch {
      return "its tree is not JSON";
    }
    const parsed = TREE_SCHEMA.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return `its tree: ${issue?.path.join(".") ?? ""} ${issue?.message ?? "is malformed"}`;
    }
    return treeProblem(parsed.data) ?? parsed.data;
  }

  /**
   * The directory of tree `hash`, laid out if need be (its contents fetched: `fetched` says how many), held until
   * `release` so it is not pruned under a running task.
   */
  async acquire(hash: string, tree: Tree, fetch: Fetch): Promise<{ dir: string; fetched: number; release: () => void }> {
    const dir = path.join(this.dir, hash);
    this.inUse.set(hash, (this.inUse.get(hash) ?? 0) + 1);
    const release = (): void => {
      const count = (this.inUse.get(hash) ?? 1) - 1;
      if (count > 0) this.inUse.set(hash, count);
      else this.inUse.delete(hash);
    };
    try {
      let laying = this.laying.get(hash);
      if (!laying) {
        laying = this.layOut(hash, tree, dir, fetch).finally(() => this.laying.delete(hash));
        this.laying.set(hash, laying);
      }
      return { dir, fetched: await laying, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  private async layOut(hash: string, tree: Tree, dir: string, fetch: Fetch): Promise<number> {
    const now = new Date();
    if (
      await utimes(dir, now, now).then(
        () => true,
        () => false,
      )
    )
      return 0;
    const fetched = await this.blobs.ensure(
      tree.files.map(([, content]) => content),
      fetch,
    );
    const partial = `${dir}.${randomUUID()}.partial`;
    try {
      await this.blobs.materialise(tree.files, partial);
      await rename(partial, dir);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
    await this.prune(hash);
    return fetched;
  }

  /** Removes the least recently used trees beyond KEPT_TREES, never one in use, nor `keep`. */
  private async prune(keep: string): Promise<void> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((name) => /^[0-9a-f]{64}$/.test(name) && name !== keep);
    const used = await Promise.all(
      names.map(async (name) => ({ name, at: (await stat(path.join(this.dir, name)).catch(() => null))?.mtimeMs ?? 0 })),
    );
    const stale = used.sort((a, b) => b.at - a.at).slice(KEPT_TREES - 1);
    for (const { name } of stale) if (!this.inUse.has(name)) await rm(path.join(this.dir, name), { recursive: true, force: true });
  }
}
