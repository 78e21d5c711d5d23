import type { TaskOutcome } from "../core/outcome.js";
import type { Task } from "../core/task.js";
import type { EmbeddedTool } from "../tools/tool.js";

/**
 * Runs a task on an embedded tool in this thread. It has no process to kill, so cancellation and the timeout
 * stop it between files.
 */
export async function runEmbedded(tool: EmbeddedTool, task: Task, signal?: AbortSignal): Promise<TaskOutcome> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const timeout = AbortSignal.timeout(task.timeoutMs);
  const parsed = await tool.run(task, signal ? AbortSignal.any([signal, timeout]) : timeout);
  if (signal?.aborted) return { kind: "cancelled" };
  if (timeout.aborted) return { kind: "timeout", timeoutMs: task.timeoutMs, durationMs: elapsed() };
  if (parsed.kind === "tool-error")
    return { kind: "tool-error", exitCode: null, message: parsed.message, stderr: "", durationMs: elapsed() };
  return { kind: "completed", findings: parsed.findings, durationMs: elapsed() };
}
