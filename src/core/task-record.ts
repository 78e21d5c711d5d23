import type { TaskOutcome } from "./outcome.js";
import type { Task } from "./task.js";

/** A task, what it came to, and how many attempts it took. */
export interface TaskRecord {
  task: Task;
  outcome: TaskOutcome;
  attempts: number;
  /** Why a first attempt was thrown away, when it was. */
  retriedBecause?: string;
  /** Set on records replayed from the memory cache: how many results, and the tool time they saved. */
  memory?: { hits: number; savedMs: number };
}
