import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TaskOutcome } from "../../core/outcome.js";
import type { Task } from "../../core/task.js";
import type { RunnerChannel, TaskExchange, TaskExchanges } from "./task-exchange.js";

/**
 * The task exchange as files in one directory per task, for a server that shares jackpool's filesystem:
 *
 * - `task.json`: the Task, written by jackpool.
 * - `heartbeat`: rewritten by the runner every HEARTBEAT_INTERVAL_MS while it lives.
 * - `cancel`: written by jackpool to stop the task; the runner kills the tool and reports `cancelled`.
 * - `outcome.json`: the TaskOutcome, written by the runner atomically (rename), last.
 * - `stderr`: the runner's own stderr, for when it dies without an outcome.
 */
const TASK_FILE = "task.json";
const HEARTBEAT_FILE = "heartbeat";
const CANCEL_FILE = "cancel";
const OUTCOME_FILE = "outcome.json";
const STDERR_FILE = "stderr";
/** The prefix of each scan's directory below the system's temporary directory. */
export const FILE_EXCHANGE_PREFIX = "jackpool-mahavishnu-";

/** jackpool's side of one task's directory. */
class FileExchange implements TaskExchange {
  readonly runnerArgs: readonly string[];
  readonly runnerStderr: string;

  constructor(private readonly dir: string) {
    this.runnerArgs = [dir];
    this.runnerStderr = path.join(dir, STDERR_FILE);
  }

  async outcome(): Promise<TaskOutcome | null> {
    try {
      return JSON.parse(await readFile(path.join(this.dir, OUTCOME_FILE), "utf8")) as TaskOutcome;
    } catch {
      return null;
    }
  }

  async heartbeatAgeMs(): Promise<number | null> {
    try {
      return Date.now() - (await stat(path.join(this.dir, HEARTBEAT_FILE))).mtimeMs;
    } catch {
      return null;
    }
  }

  async requestCancel(): Promise<void> {
    await writeFile(path.join(this.dir, CANCEL_FILE), "").catch(() => undefined);
  }

  async stderrTail(): Promise<string> {
    const text = await readFile(this.runnerStderr, "utf8").catch(() => "");
    return text.trim().split("\n").slice(-3).join(" | ").slice(-500);
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** One directory per scan below the system's temporary directory, one per task inside it. */
export class FileExchanges implements TaskExchanges {
  readonly description: string;

  private constructor(private readonly root: string) {
    this.description = `files below ${root}`;
  }

  static async open(): Promise<FileExchanges> {
    return new FileExchanges(await mkdtemp(path.join(os.tmpdir(), FILE_EXCHANGE_PREFIX)));
  }

  async create(name: string, task: Task): Promise<TaskExchange> {
    const dir = path.join(this.root, name);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, TASK_FILE), JSON.stringify(task));
    return new FileExchange(dir);
  }

  async close(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

/** The runner's side of a task directory. */
export class FileRunnerChannel implements RunnerChannel {
  constructor(private readonly dir: string) {}

  async task(): Promise<Task> {
    return JSON.parse(await readFile(path.join(this.dir, TASK_FILE), "utf8")) as Task;
  }

  async beat(): Promise<void> {
    await writeFile(path.join(this.dir, HEARTBEAT_FILE), String(Date.now()));
  }

  cancelRequested(): Promise<boolean> {
    return Promise.resolve(existsSync(path.join(this.dir, CANCEL_FILE)));
  }

  /** Written to a temporary name and renamed, so a reader never sees half of it. */
  async writeOutcome(outcome: TaskOutcome): Promise<void> {
    const temporary = path.join(this.dir, `${OUTCOME_FILE}.tmp`);
    await writeFile(temporary, JSON.stringify(outcome));
    await rename(temporary, path.join(this.dir, OUTCOME_FILE));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
