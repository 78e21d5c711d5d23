import { execa } from "execa";
import { INSTALL_TIMEOUT_MS } from "./install-timeout.js";
import { outputLines } from "../tools/reading/output-lines.js";
import { UserError } from "../core/errors.js";
import type { BasePython } from "./python.js";

/** Creates a virtualenv at `dir` with `python -m venv` (pip comes from Python's own ensurepip: no network). */
export async function createVenv(python: BasePython, dir: string, signal: AbortSignal): Promise<void> {
  const result = await execa(python.executable, ["-m", "venv", dir], {
    reject: false,
    stdin: "ignore",
    all: true,
    cancelSignal: signal,
    timeout: INSTALL_TIMEOUT_MS,
  });
  if (result.failed && !signal.aborted) {
    // Debian's "ensurepip is not available … apt install python3-venv" spans lines: keep it to one.
    const why = outputLines(result.all ?? "")
      .join(" ")
      .replace(/\s+/g, " ")
      .slice(0, 300);
    throw new UserError(`${python.executable} -m venv failed: ${why || `exit ${result.exitCode}`}`);
  }
}
