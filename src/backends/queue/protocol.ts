import { createHash } from "node:crypto";
import path from "node:path";
import { z } from "zod";

/**
 * What the scanning side and a queue worker agree on, and nothing else: the names of their Redis keys and BullMQ
 * queues, a worker's tool environment, and a job's data, which a worker checks before it touches anything.
 */

/** Every key jackpool's queue makes starts with this; BullMQ's own keys are below `<prefix>:bull`. */
export const KEY_PREFIX = "jackpool:queue";
export const BULL_PREFIX = `${KEY_PREFIX}:bull`;
/** A blob: one file content, by its SHA-256. */
export const blobKey = (hash: string): string => `${KEY_PREFIX}:blob:${hash}`;
/** A worker's record, renewed while it lives (registry.ts). */
export const workerKey = (id: string): string => `${KEY_PREFIX}:worker:${id}`;
/** The ids of the workers that published a record (some may have expired since). */
export const WORKER_IDS = `${KEY_PREFIX}:workers`;
/** Published with a scan's id when it is cancelled; the key says so to a worker that was not listening. */
export const CANCEL_CHANNEL = `${KEY_PREFIX}:cancel`;
export const cancelledKey = (scan: string): string => `${KEY_PREFIX}:cancelled:${scan}`;

/** A tool a worker can run: the version its results are keyed by, and the Python it parses with (Python tools). */
export interface ToolIdentity {
  version: string;
  python: string | null;
}

/** What a worker's results depend on besides a task's own data: the same on both sides, or the task stays. */
export interface ToolEnvironment {
  /** jackpool's version: it parses the tools' output, so the findings are its too. */
  jackpool: string;
  /** The hash of the tool lock the managed environment was made from. */
  lock: string;
  python: string | null;
  tools: Record<string, ToolIdentity>;
}

/** The identity of an environment: workers with the same one share one queue. */
export function environmentId(environment: ToolEnvironment): string {
  const tools = Object.entries(environment.tools).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256")
    .update(JSON.stringify([environment.jackpool, environment.lock, environment.python, tools]))
    .digest("hex")
    .slice(0, 16);
}

/** The BullMQ queue of the workers whose environment has this identity. */
export const queueNameOf = (environmentIdentity: string): string => `tasks-${environmentIdentity}`;

/**
 * A project-relative POSIX path that stays inside the directory it is joined to: no absolute path, no `..`, no empty
 * or `.` part, no backslash or NUL (a worker refuses a job with any other).
 */
export function isContainedPath(file: string): boolean {
  if (file === "" || file.includes("\0") || file.includes("\\") || path.posix.isAbsolute(file)) return false;
  return file.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}

const SHA256 = z.string().regex(/^[0-9a-f]{64}$/);
const RELATIVE_PATH = z.string().refine(isContainedPath, { message: "escapes the task's directory" });

/**
 * The project a task runs in, as one blob: every file's path, content hash and executable bit (a tool may report a mode
 * that does not match a shebang), sorted by path. Tasks of one scan share it, so a worker lays it out once.
 */
export const TREE_SCHEMA = z.strictObject({
  files: z.array(z.tuple([RELATIVE_PATH, SHA256, z.union([z.literal(0), z.literal(1)])])).max(2_000_000),
});

export type Tree = z.infer<typeof TREE_SCHEMA>;

/** A job's data: one task, the tree it runs in by hash, and how to map its results back. */
export const JOB_SCHEMA = z.strictObject({
  /** The scan it belongs to: what cancelling it names. */
  scan: z.string().min(1).max(100),
  task: z.strictObject({
    id: z.string().min(1).max(200),
    tool: z.string().min(1).max(100),
    toolVersion: z.string().min(1).max(200),
    python: z.string().max(20).nullable(),
    /** The files named on the tool's command line (files of the tree). */
    files: z.array(RELATIVE_PATH),
    configured: z.literal(true).optional(),
    userArgs: z.array(z.string().max(10_000)).max(1000),
    timeoutMs: z.number().int().positive(),
  }),
  /** The hash of the task's tree (TREE_SCHEMA), a blob like the files' contents. */
  tree: SHA256,
  /** The scanning side's root: only written into results in place of the worker's directory, never opened. */
  root: z.string().min(1).max(4096),
  /** Workers that failed it by a fault of their own (disk full, a tool gone), which leave it to the others. */
  avoid: z.array(z.string().max(100)).max(1000).optional(),
});

export type QueueJob = z.infer<typeof JOB_SCHEMA>;
