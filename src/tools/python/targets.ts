import { execa } from "execa";
import { shippedFile, type ShippedFile } from "../../self/shipped-files.js";
import type { RunTargets, TargetsContext } from "../tool.js";
import { venvPython } from "./environment.js";

// Importing a tool takes well under a second; a machine that takes longer than this is not going to run the tool either.
const TIMEOUT_MS = 120_000;

/**
 * Asks a Python tool, through one of jackpool's scripts run in the tool's own Python (assets/python/), which
 * of `files` it checks by its own rules. The script reads `{files, args}` as JSON and prints `{"configured": true}`,
 * `{"files": [...]}` or `{"error": ...}`. When the tool cannot say (no Python beside it, cancelled, an error), every
 * file: the tool then reports any problem itself.
 */
export async function askPythonTool(
  script: ShippedFile,
  files: readonly string[],
  { cwd, executable, userArgs, signal }: TargetsContext,
): Promise<RunTargets> {
  const scriptPath = shippedFile(script);
  const python = await venvPython(executable);
  if (scriptPath === null || python === null) return { files };
  try {
    const { stdout } = await execa(python, ["-I", scriptPath], {
      cwd,
      input: JSON.stringify({ args: userArgs, files }),
      cancelSignal: signal,
      timeout: TIMEOUT_MS,
    });
    const answer = JSON.parse(stdout) as { configured?: unknown; files?: unknown };
    if (answer.configured === true) return { configured: true };
    if (Array.isArray(answer.files)) {
      const kept = new Set(answer.files.filter((file): file is string => typeof file === "string"));
      return { files: files.filter((file) => kept.has(file)) };
    }
  } catch {
    // Cancelled, or the tool's Python could not answer: the files as they are.
  }
  return { files };
}
