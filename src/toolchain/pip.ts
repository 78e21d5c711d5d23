import { execa } from "execa";
import { INSTALL_TIMEOUT_MS } from "./install-timeout.js";
import { outputLines } from "../tools/reading/output-lines.js";

/** The line of pip's output that says why it failed: its first `ERROR:` line, else its last line. */
export function pipFailureLine(output: string): string {
  const lines = outputLines(output);
  const error = lines.find((line) => line.startsWith("ERROR:"));
  return (error ?? lines.at(-1) ?? "no output").replace(/^ERROR:\s*/, "").trim();
}

/** Runs `python -m pip <args>`; resolves to null on success, else the line that says why it failed. */
export async function runPip(python: string, args: readonly string[], signal: AbortSignal): Promise<string | null> {
  const result = await execa(python, ["-m", "pip", "--disable-pip-version-check", "--no-input", ...args], {
    reject: false,
    stdin: "ignore",
    all: true,
    cancelSignal: signal,
    timeout: INSTALL_TIMEOUT_MS,
  });
  if (!result.failed) return null;
  return pipFailureLine(result.all ?? "");
}
