import path from "node:path";
import { execa } from "execa";
import { isExecutable } from "../tools/python/environment.js";
import type { ToolLock } from "./lock.js";
import { readMarker, type ManagedEnv } from "./managed-env.js";
import { pinnedTools } from "./pinned-tools.js";
import { runPip } from "./pip.js";
import type { BasePython } from "./python.js";

/**
 * Why the Python part of a managed environment must be (re)built, or null when it is sound: finished for this
 * lock, made from the requested Python (when one was named), its interpreter runs, `pip check` passes, and
 * every Python tool's executable is there. Go tools are checked on their own: a missing one is installed alone.
 */
export async function environmentProblem(
  managed: ManagedEnv,
  lock: ToolLock,
  requested: BasePython | null,
  signal: AbortSignal,
): Promise<string | null> {
  const marker = await readMarker(managed, lock);
  if (marker === null) return "not installed";
  if (requested !== null && requested.executable !== marker.basePython) {
    return `it was made with ${marker.basePython} (Python ${marker.pythonVersion}), not ${requested.executable}`;
  }
  const runs = await execa(managed.python, ["-c", "pass"], { reject: false, stdin: "ignore", cancelSignal: signal, timeout: 30_000 });
  if (runs.failed) return `its Python does not run (${path.relative(managed.root, managed.python)})`;
  const missing = [];
  for (const tool of pinnedTools(lock)) {
    if (tool.via === "pip" && !(await isExecutable(path.join(managed.bin, tool.executable)))) missing.push(tool.executable);
  }
  if (missing.length > 0) return `missing executables: ${missing.join(", ")}`;
  const broken = await runPip(managed.python, ["check"], signal);
  return broken === null ? null : `pip check failed: ${broken}`;
}
