import os from "node:os";

/** The shell convention for a process stopped by a signal: 128 + its number (SIGINT 130, SIGTERM 143). */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + os.constants.signals[signal];
}

/** The exit code for a scan whose AbortSignal was aborted with a signal name as its reason. */
export function interruptedExitCode(signal: AbortSignal): number {
  const reason: unknown = signal.reason;
  return typeof reason === "string" && reason in os.constants.signals
    ? exitCodeForSignal(reason as NodeJS.Signals)
    : exitCodeForSignal("SIGINT");
}
