import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

/** SHA-256 of a string or bytes, as hex. */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A file as one read saw it. */
export interface FileContent {
  bytes: Buffer;
  /** SHA-256 of the bytes. */
  sha256: string;
  /** Whether any execute bit is set: a tool may report the mode (ruff's EXE rules: a shebang without it, it without one). */
  executable: boolean;
}

/**
 * A file's bytes, their hash and its mode, from one open file (so the mode is the bytes' own); null when it cannot be
 * read. The memory's keys and the queue's shipments both take a file's content from here.
 */
export async function readContent(absolute: string): Promise<FileContent | null> {
  let handle;
  try {
    handle = await open(absolute);
    const [bytes, stats] = await Promise.all([handle.readFile(), handle.stat()]);
    return { bytes, sha256: sha256(bytes), executable: (stats.mode & 0o111) !== 0 };
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
