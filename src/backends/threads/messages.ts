import type { MessagePort } from "node:worker_threads";
import type { Task } from "../../core/task.js";

/** Slots of the shared control word array: the task's state, and its tool's pid once spawned. */
export const STATE = 0;
export const PID = 1;
/** Task states; only compare-and-swap moves a task out of QUEUED, so main thread and worker never disagree. */
export const QUEUED = 0;
export const RUNNING = 1;
export const CANCELLED = 2;

/** A fresh control array for one task, in memory shared with the worker thread. */
export function taskControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

/** What the main thread sends a pool worker: the task, a port for messages, and the shared control words. */
export interface WorkerRequest {
  task: Task;
  port: MessagePort;
  /**
   * [state, pid] in shared memory. A worker thread starts the task only by swapping QUEUED for RUNNING, and
   * writes the tool's pid the moment it spawns it: the main thread always knows what to cancel and kill.
   */
  control: Int32Array;
}

/** Worker → main: the task really started (for progress). */
export type WorkerMessage = { type: "started" };

/** Main → worker: stop the running tool and report the task cancelled. */
export type ControlMessage = { type: "cancel" };
