import { readFile, realpath, stat } from "node:fs/promises";
import { execa } from "execa";
import { readProjectState, writeProjectState } from "../../state/project-state.js";
import { shippedFile } from "../../self/shipped-files.js";
import { locateExecutable, searchDirs } from "../../toolchain/locate.js";
import { venvPython } from "../../tools/python/environment.js";
import { bytesHash } from "./hasher.js";
import { sha256 } from "../../files/content.js";

/** Where interface digests are computed and kept. */
export interface InterfaceSettings {
  /** The project: its `.crackerjack/` keeps the digests by content hash. */
  root: string;
  /** Where the bytes being scanned live (the project, or a snapshot of the git index). */
  contentRoot: string;
  /** How many Python processes may digest at once. */
  processes: number;
  /** --verbose output. */
  log: (line: string) => void;
  /** The scan's: Ctrl-C stops the digest processes. */
  signal: AbortSignal;
}

// Digesting thousands of files takes seconds; a Python that has not answered in this long is not going to.
const DIGEST_TIMEOUT_MS = 300_000;

const SCRIPT = "assets/python/interface_digest.py";
const STATE = "interfaces.json";
// Bumped when the state file's shape changes.
const STATE_FORMAT = 1;

interface SavedDigests {
  format: typeof STATE_FORMAT;
  /** The script's content hash and the interpreter's identity: either changing invalidates every digest. */
  tag: string;
  /** Content hash → interface digest. */
  digests: Record<string, string>;
}

/** What a file stands for when its interface cannot be told: its content, as the digest script also falls back to. */
export function contentDigest(hash: string): string {
  return `content:${hash}`;
}

/**
 * The Python to digest with: the one of the virtualenv the tool runs in, so the grammar is the one mypy parses
 * with; else `python3` on PATH. With its identity (real path, size, modification time), which stands for its
 * version without starting it, so a warm scan starts no Python at all.
 */
async function interpreterFor(executable: string, root: string): Promise<{ python: string; identity: string } | null> {
  // python3 on PATH is looked for as tools are.
  const python = (await venvPython(executable)) ?? (await locateExecutable("python3", await searchDirs(["path"], root)))?.path ?? null;
  if (python === null) return null;
  const real = await realpath(python);
  const { size, mtimeMs } = await stat(real);
  return { python, identity: `${real} ${size} ${mtimeMs}` };
}

/** Splits `items` into at most `count` runs of nearly equal length. */
function chunks<T>(items: readonly T[], count: number): T[][] {
  const size = Math.ceil(items.length / Math.max(count, 1));
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/**
 * Runs the digest script over `files` (path → content hash): path → digest for each file whose bytes the script
 * read were the ones hashed (a file edited meanwhile gets none). Throws when the script cannot run.
 */
async function runScript(
  python: string,
  script: string,
  cwd: string,
  files: readonly (readonly [string, string])[],
  signal: AbortSignal,
): Promise<Map<string, string>> {
  const { stdout } = await execa(python, ["-I", script], {
    cwd,
    input: files.map(([file]) => file).join("\0"),
    stripFinalNewline: false,
    timeout: DIGEST_TIMEOUT_MS,
    cancelSignal: signal,
  });
  const lines = stdout.split("\n");
  if (lines.length !== files.length + 1) throw new Error(`${lines.length - 1} digests for ${files.length} files`);
  const digests = new Map<string, string>();
  files.forEach(([file, hash], index) => {
    const [digest, readHash] = lines[index]!.split(" ");
    if (digest && readHash === bytesHash(hash)) digests.set(file, digest);
  });
  return digests;
}

/**
 * Interface digests of Python files (path → content hash), for the files' importers' refurb keys: a digest changes
 * when what mypy sees of the file from another module may change (signatures, class and module-level code,
 * functions that define attributes or globals), not for an edit inside a plain function body
 * (assets/python/interface_digest.py). Computed in up to `processes` Python processes, and kept by
 * content hash in `.crackerjack/interfaces.json` (only the current files' hashes). A file that cannot be
 * digested stands for its content, the stricter key; so does every file when no Python runs.
 */
export async function interfaceDigests(
  files: ReadonlyMap<string, string>,
  executable: string,
  settings: InterfaceSettings,
): Promise<Map<string, string>> {
  const byContent = (): Map<string, string> => new Map([...files].map(([file, hash]) => [file, contentDigest(hash)]));
  if (files.size === 0) return new Map();
  const script = shippedFile(SCRIPT);
  const interpreter = await interpreterFor(executable, settings.root).catch(() => null);
  if (script === null || interpreter === null) {
    settings.log(`interface digests: ${script === null ? `${SCRIPT} is missing` : "no Python found"}; imports are keyed on file contents`);
    return byContent();
  }
  const tag = `${sha256(await readFile(script))} ${interpreter.identity}`;
  const saved = (await readProjectState(settings.root, STATE)) as Partial<SavedDigests> | undefined;
  const known = saved?.format === STATE_FORMAT && saved.tag === tag ? (saved.digests ?? {}) : {};
  const result = new Map<string, string>();
  const missing: [string, string][] = [];
  for (const [file, hash] of files) {
    const digest = known[hash];
    if (typeof digest === "string") result.set(file, digest);
    else missing.push([file, hash]);
  }
  if (missing.length > 0) {
    try {
      const computed = await Promise.all(
        chunks(missing, settings.processes).map((chunk) =>
          runScript(interpreter.python, script, settings.contentRoot, chunk, settings.signal),
        ),
      );
      for (const digests of computed) for (const [file, digest] of digests) result.set(file, digest);
    } catch (error) {
      settings.log(
        `interface digests: ${interpreter.python} failed (${(error as Error).message.split("\n")[0]}); imports are keyed on file contents`,
      );
    }
  }
  const current: Record<string, string> = {};
  for (const [file, hash] of files) {
    const digest = result.get(file);
    if (digest !== undefined) current[hash] = digest;
  }
  // Kept for the current files only; rewritten only when that differs from what was there.
  const keptBefore = Object.keys(known).length;
  if (Object.keys(current).length !== keptBefore || missing.some(([, hash]) => current[hash] !== undefined)) {
    await writeProjectState(settings.root, STATE, { format: STATE_FORMAT, tag, digests: current } satisfies SavedDigests);
  }
  for (const [file, hash] of files) if (!result.has(file)) result.set(file, contentDigest(hash));
  return result;
}
