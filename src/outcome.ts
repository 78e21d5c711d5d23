import type { Finding } from "./tools/finding.js";

/** What one task came to: plain data, so it crosses worker threads and MCP calls unchanged. */
export type TaskOutcome =
  | { kind: "completed"; findings: Finding[]; durationMs: number }
  | { kind: "tool-error"; exitCode: number | null; message: string; stderr: string; durationMs: number }
  | { kind: "timeout"; timeoutMs: number; durationMs: number }
  | { kind: "cancelled" }
  | { kind: "not-installed"; message: string }
  | { kind: "backend-error"; message: string };

/** Outcome kinds that mean jackpool could not do its job for that task. */
export function isFailure(outcome: TaskOutcome): boolean {
  return outcome.kind !== "completed" && outcome.kind !== "cancelled";
}
