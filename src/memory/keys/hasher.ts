import path from "node:path";
import { readContent } from "../../files/content.js";

/** The hash of a file's bytes alone, from its ContentHasher hash (which marks an executable file's). */
export function bytesHash(hash: string): string {
  return hash.endsWith("+x") ? hash.slice(0, -2) : hash;
}

/** Content hashes of project files, read once per scan; `fresh` re-reads to catch edits made during the scan. */
export class ContentHasher {
  private readonly known = new Map<string, Promise<string | null>>();

  /** `root` is where the bytes being scanned live: the project, or a snapshot of the git index. */
  constructor(private readonly root: string) {}

  /** The file's content hash as first seen in this scan; null when it cannot be read. */
  hash(file: string): Promise<string | null> {
    let hashed = this.known.get(file);
    if (!hashed) {
      hashed = this.fresh(file);
      this.known.set(file, hashed);
    }
    return hashed;
  }

  /**
   * The file's bytes (null when unreadable), for callers that parse content: the hash of these bytes becomes
   * the file's hash for this scan unless one was already taken, so a file is not read once to parse and
   * again to hash. The bytes are not kept.
   */
  async read(file: string): Promise<Buffer | null> {
    const read = this.readWithHash(file);
    if (!this.known.has(file))
      this.known.set(
        file,
        read.then((content) => content?.hash ?? null),
      );
    return (await read)?.bytes ?? null;
  }

  /** The file's content hash right now. */
  async fresh(file: string): Promise<string | null> {
    return (await this.readWithHash(file))?.hash ?? null;
  }

  /**
   * The file's bytes and its hash: of the bytes, marked `+x` when the file is executable, since a tool may report that
   * (ruff's EXE rules: a shebang without the mode, the mode without a shebang), and a chmod must not replay old findings.
   */
  private async readWithHash(file: string): Promise<{ bytes: Buffer; hash: string } | null> {
    const content = await readContent(path.join(this.root, file));
    if (content === null) return null;
    return { bytes: content.bytes, hash: content.executable ? `${content.sha256}+x` : content.sha256 };
  }

  /** path → hash for many files (unreadable files left out). */
  async hashAll(files: readonly string[]): Promise<Map<string, string>> {
    const hashes = await Promise.all(files.map((file) => this.hash(file)));
    const result = new Map<string, string>();
    files.forEach((file, index) => {
      const hash = hashes[index];
      if (hash) result.set(file, hash);
    });
    return result;
  }

  /** True when every file still has the hash recorded in `expected`. */
  async unchanged(expected: ReadonlyMap<string, string>): Promise<boolean> {
    const checks = await Promise.all([...expected].map(async ([file, hash]) => (await this.fresh(file)) === hash));
    return checks.every(Boolean);
  }
}
