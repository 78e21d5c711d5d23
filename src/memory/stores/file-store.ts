import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdir, readFile, readdir, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { KeyvStoreAdapter } from "keyv";
import { sha256 } from "../../files/content.js";
import { KeyvResultStore, expiredEntry, type Maintenance } from "./keyv-store.js";
import type { ResultStore } from "./store.js";
import { unavailableStore } from "./unavailable-store.js";

// https://bford.info/cachedir/: backup and archiving tools skip a directory holding this file.
const CACHEDIR_TAG = `Signature: 8a477f597d28d172789f06886806bc55
# This file is a cache directory tag created by jackpool.
# For information about cache directory tags, see:
#\thttps://bford.info/cachedir/
`;
const SHARD = /^[0-9a-f]{2}$/;
const ENTRY = /^[0-9a-f]{64}\.json$/;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === "ENOENT";
}

/** `action`'s result, or `fallback` when the file it touches has gone (another scan removed it meanwhile). */
async function unlessMissing<T, F>(action: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await action;
  } catch (error) {
    if (isMissing(error)) return fallback;
    throw error;
  }
}

/** Waits for `creation`; that its target already exists is fine. */
async function unlessExists(creation: Promise<unknown>): Promise<void> {
  try {
    await creation;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/**
 * A keyv store adapter keeping one file per key in `dir`, under a shard directory named by the first two hex
 * characters of the key's hash. The file holds keyv's serialized entry, expiry included.
 */
class FileAdapter extends EventEmitter implements KeyvStoreAdapter, Maintenance {
  readonly opts = { dialect: "jackpool-file" };
  /** Set by keyv. */
  namespace: string | undefined;

  constructor(private readonly dir: string) {
    super();
  }

  /** The entry's text, which keyv parses itself. */
  async get<Value>(key: string): Promise<Value | undefined> {
    return unlessMissing(readFile(this.file(key), "utf8") as Promise<Value>, undefined);
  }

  /** Writes atomically: a unique temp file renamed over the entry, so readers and other scans never see half a file. */
  async set(key: string, value: string): Promise<void> {
    const file = this.file(key);
    await unlessExists(mkdir(path.dirname(file)));
    const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(temp, value);
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  /** Removes the entry; false when there was none. */
  async delete(key: string): Promise<boolean> {
    return unlessMissing(
      unlink(this.file(key)).then(() => true),
      false,
    );
  }

  /** Removes every entry; the tag files stay. */
  async clear(): Promise<void> {
    for (const shard of await this.shards()) await rm(path.join(this.dir, shard), { recursive: true, force: true });
  }

  /** Counts entry files and their bytes. */
  async stats(): Promise<{ entries: number; bytes: number }> {
    let entries = 0;
    let bytes = 0;
    for (const file of await this.entryFiles()) {
      const size = await unlessMissing(
        stat(file).then((info) => info.size),
        null,
      );
      if (size === null) continue;
      entries++;
      bytes += size;
    }
    return { entries, bytes };
  }

  /** Removes entries past their expiry, and unreadable ones, which can never be hits; returns how many. */
  async gc(): Promise<number> {
    let dropped = 0;
    for (const file of await this.entryFiles()) {
      if (
        (await this.expired(file)) &&
        (await unlessMissing(
          unlink(file).then(() => true),
          false,
        ))
      )
        dropped++;
    }
    return dropped;
  }

  private file(key: string): string {
    const hash = sha256(`${this.namespace ?? ""}:${key}`);
    return path.join(this.dir, hash.slice(0, 2), `${hash}.json`);
  }

  private async shards(): Promise<string[]> {
    return (await readdir(this.dir)).filter((name) => SHARD.test(name));
  }

  private async entryFiles(): Promise<string[]> {
    const files: string[] = [];
    for (const shard of await this.shards()) {
      const names = await unlessMissing(readdir(path.join(this.dir, shard)), []);
      files.push(...names.filter((name) => ENTRY.test(name)).map((name) => path.join(this.dir, shard, name)));
    }
    return files;
  }

  private async expired(file: string): Promise<boolean> {
    const text = await unlessMissing(readFile(file, "utf8"), null);
    return text !== null && expiredEntry(text);
  }
}

/**
 * Opens the file store under `<projectRoot>/.crackerjack/cache`, creating it with a CACHEDIR.TAG and a
 * `.gitignore` that ignores everything.
 */
export async function openFileStore(projectRoot: string, onWarning: (line: string) => void): Promise<ResultStore> {
  const dir = path.join(projectRoot, ".crackerjack", "cache");
  const description = `file store at ${dir}`;
  try {
    // One level at a time: a recursive mkdir loops forever where the parent exists but refuses children (/proc).
    await unlessExists(mkdir(path.dirname(dir)));
    await unlessExists(mkdir(dir));
    await unlessExists(writeFile(path.join(dir, "CACHEDIR.TAG"), CACHEDIR_TAG, { flag: "wx" }));
    await unlessExists(writeFile(path.join(dir, ".gitignore"), "*\n", { flag: "wx" }));
  } catch (error) {
    return unavailableStore(description, error, onWarning);
  }
  const adapter = new FileAdapter(dir);
  return new KeyvResultStore(adapter, adapter, description, onWarning);
}
