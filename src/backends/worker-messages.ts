import type { MessagePort } from "node:worker_threads";
import type { Task } from "../plan/task.js";

/** What the main thread sends a pool worker: the task and a port for progress messages. */
export interface WorkerRequest {
  task: Task;
  port: MessagePort;
}

/** What a pool worker reports while a task runs, so the main thread can show progress and kill orphans. */
export type WorkerMessage = { type: "started" } | { type: "spawned"; pid: number };
