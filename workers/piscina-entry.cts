// piscina loads its worker with require() first. On Node 20.19+ require() of an ES module takes the new
// require(esm) path, which has crashed the whole process with a V8 fatal error ("IsGraphAsync must be used
// on an instantiated module"). This CommonJS entry is what piscina requires; it reaches the ES-module
// worker through a plain dynamic import instead.
import type { WorkerRequest } from "../src/backends/threads/messages.js";
import type { TaskOutcome } from "../src/core/outcome.js";

/** piscina's task handler: runs one task in this worker thread (see task-worker.ts). */
async function runTask(request: WorkerRequest): Promise<TaskOutcome> {
  const { default: runTaskInWorker } = await import("./task-worker.js");
  return runTaskInWorker(request);
}

export = runTask;
