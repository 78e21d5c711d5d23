import type { TaskOutcome } from "../core/outcome.js";
import type { Task } from "../core/task.js";
import type { Backend, RunOptions } from "./backend.js";

/** A backend that can stop being usable mid-scan (a remote server that went away). */
export interface FallibleBackend extends Backend {
  readonly available: boolean;
  readonly unavailableReason: string;
}

/**
 * Runs tasks on a primary backend while it is available, and on a fallback (the local pool, started only when
 * needed) otherwise. A task the primary lost (`backend-error`) is moved: the scheduler's retry of it runs on
 * the fallback, and its error message says so, which the report keeps as a note.
 */
export class FallbackBackend implements Backend {
  readonly name: string;
  readonly concurrency: number;
  private fallback: Backend | undefined;
  private readonly moved = new Set<string>();
  private warned = false;

  constructor(
    private readonly primary: FallibleBackend,
    private readonly makeFallback: () => Backend,
    private readonly warn: (line: string) => void,
  ) {
    this.name = `${primary.name} (falls back to local)`;
    this.concurrency = primary.concurrency;
  }

  async run(task: Task, options: RunOptions): Promise<TaskOutcome> {
    if (this.primary.available && !this.moved.has(task.id)) {
      const outcome = await this.primary.run(task, options);
      if (outcome.kind !== "backend-error") return outcome;
      this.moved.add(task.id);
      return { kind: "backend-error", message: `${outcome.message}; moved to the local pool` };
    }
    if (!this.primary.available && !this.warned) {
      this.warned = true;
      this.warn(`${this.primary.unavailableReason}: the rest of the scan runs on the local pool`);
    }
    this.fallback ??= this.makeFallback();
    return this.fallback.run(task, options);
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.fallback?.close()]);
  }
}
