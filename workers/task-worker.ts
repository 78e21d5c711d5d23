import {
  type ControlMessage,
  type WorkerMessage,
  type WorkerRequest,
  PID,
  QUEUED,
  RUNNING,
  STATE,
} from "../src/backends/threads/messages.js";
import type { TaskOutcome } from "../src/core/outcome.js";
import { executeTask } from "../src/execute/execute-task.js";

/**
 * Piscina entry point (loaded through piscina-entry.cjs): runs one task in this worker thread. A task the
 * main thread already cancelled is not started; a running one stops when a "cancel" message arrives.
 * Stray exceptions become backend errors.
 */
export default async function runTaskInWorker(request: WorkerRequest): Promise<TaskOutcome> {
  const { control, port } = request;
  if (Atomics.compareExchange(control, STATE, QUEUED, RUNNING) !== QUEUED) {
    port.close();
    return { kind: "cancelled" };
  }
  const cancel = new AbortController();
  port.on("message", (message: ControlMessage) => {
    if (message.type === "cancel") cancel.abort();
  });
  port.postMessage({ type: "started" } satisfies WorkerMessage);
  try {
    return await executeTask(request.task, { signal: cancel.signal, onSpawn: (pid) => Atomics.store(control, PID, pid) });
  } catch (error) {
    return { kind: "backend-error", message: `worker failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    port.close();
  }
}
