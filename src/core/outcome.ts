import type { Finding } from "./finding.js";

/**
 * What a run that ended normally really analysed, when that is not every file it was given. Only a file the tool
 * really analysed may have its result remembered.
 * - `stopped`: broken input in `by` stopped the whole run (refurb and mypy stop at a syntax error): the findings are
 *   that input's errors, and no other file was analysed.
 * - `partial`: the tool went on, but did not finish `files` (semgrep's per-file timeouts): their findings are
 *   reported, never remembered, because another run may finish them.
 */
export type RunCoverage = { kind: "stopped"; by: string[] } | { kind: "partial"; files: string[] };

/** What one task came to: plain data, so it crosses worker threads and MCP calls unchanged. */
export type TaskOutcome =
  /** `coverage` is absent when the tool analysed every file it was given. */
  | { kind: "completed"; findings: Finding[]; durationMs: number; coverage?: RunCoverage }
  | { kind: "tool-error"; exitCode: number | null; message: string; stderr: string; durationMs: number }
  | { kind: "timeout"; timeoutMs: number; durationMs: number }
  | { kind: "cancelled" }
  | { kind: "not-installed"; message: string }
  | { kind: "backend-error"; message: string };

/** Outcome kinds that mean jackpool could not do its job for that task. */
export function isFailure(outcome: TaskOutcome): boolean {
  return outcome.kind !== "completed" && outcome.kind !== "cancelled";
}
