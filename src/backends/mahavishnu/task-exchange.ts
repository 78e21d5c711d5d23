import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { TaskOutcome } from "../../outcome.js";
import type { Task } from "../../plan/task.js";

/**
 * The files through which jackpool and a remote task runner (remote-task-runner.ts) talk, in one directory
 * per task on a filesystem both see. The server's `output` is screen text without an exit code, so the task's
 * full result travels here instead:
 *
 * - `task.json`: the Task, written by jackpool.
 * - `heartbeat`: rewritten by the runner every HEARTBEAT_INTERVAL_MS while it lives.
 * - `cancel`: written by jackpool to stop the task; the runner kills the tool and reports `cancelled`.
 * - `outcome.json`: the TaskOutcome, written by the runner atomically (rename), last.
 * - `stderr`: the runner's own stderr, for when it dies without an outcome.
 */
export const TASK_FILE = "task.json";
export const HEARTBEAT_FILE = "heartbeat";
export const CANCEL_FILE = "cancel";
export const OUTCOME_FILE = "outcome.json";
export const STDERR_FILE = "stderr";
/** How often a live runner touches its heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 500;

/** Writes `outcome.json` atomically, so a reader never sees half of it. */
export async function writeOutcome(dir: string, outcome: TaskOutcome): Promise<void> {
  const temporary = path.join(dir, `${OUTCOME_FILE}.tmp`);
  await writeFile(temporary, JSON.stringify(outcome));
  await rename(temporary, path.join(dir, OUTCOME_FILE));
}

/** jackpool's side of one task's directory. */
export class TaskExchange {
  private constructor(readonly dir: string) {}

  /** Creates the task's directory below `root` and writes the task into it. */
  static async create(root: string, name: string, task: Task): Promise<TaskExchange> {
    const dir = path.join(root, name);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, TASK_FILE), JSON.stringify(task));
    return new TaskExchange(dir);
  }

  /** The outcome the runner wrote, or null while there is none. */
  async outcome(): Promise<TaskOutcome | null> {
    try {
      return JSON.parse(await readFile(path.join(this.dir, OUTCOME_FILE), "utf8")) as TaskOutcome;
    } catch {
      return null;
    }
  }

  /** Milliseconds since the runner's last heartbeat, or null when it never started. */
  async heartbeatAgeMs(): Promise<number | null> {
    try {
      return Date.now() - (await stat(path.join(this.dir, HEARTBEAT_FILE))).mtimeMs;
    } catch {
      return null;
    }
  }

  /** Asks the runner to stop the task. */
  async requestCancel(): Promise<void> {
    await writeFile(path.join(this.dir, CANCEL_FILE), "").catch(() => undefined);
  }

  /** The end of the runner's stderr, to explain a runner that died. */
  async stderrTail(): Promise<string> {
    const text = await readFile(path.join(this.dir, STDERR_FILE), "utf8").catch(() => "");
    return text.trim().split("\n").slice(-3).join(" | ").slice(-500);
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
