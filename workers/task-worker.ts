import type { WorkerMessage, WorkerRequest } from "../src/backends/worker-messages.js";
import type { TaskOutcome } from "../src/outcome.js";
import { executeTask } from "../src/run/execute-task.js";

function send(request: WorkerRequest, message: WorkerMessage): void {
  request.port.postMessage(message);
}

/** Piscina entry point: runs one task in this worker thread; stray exceptions become backend errors. */
export default async function runTaskInWorker(request: WorkerRequest): Promise<TaskOutcome> {
  send(request, { type: "started" });
  try {
    return await executeTask(request.task, { onSpawn: (pid) => send(request, { type: "spawned", pid }) });
  } catch (error) {
    return { kind: "backend-error", message: `worker failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    request.port.close();
  }
}
