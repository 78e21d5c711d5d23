import os from "node:os";
import { environmentId, type ToolEnvironment, type ToolIdentity } from "../backends/queue/protocol.js";
import { parseConfig } from "../config/load.js";
import type { Program } from "../core/task.js";
import { prepareTools } from "../plan/prepare.js";
import { JACKPOOL_VERSION } from "../self/version.js";
import { jackpoolLock } from "../toolchain/lock.js";
import { managedEnv, readMarker } from "../toolchain/managed-env.js";
import { venvPythonVersion } from "../tools/python/environment.js";
import { BUILTIN_TOOL_NAMES } from "../tools/registry.js";

/** A worker's tools: what it advertises, and how it runs each. */
export interface WorkerTools {
  environment: ToolEnvironment;
  id: string;
  programs: ReadonlyMap<string, { program: Program; identity: ToolIdentity }>;
}

/**
 * The tools this machine has for queue tasks: every built-in tool found in jackpool's managed environment or on PATH
 * (never a project's .venv: a worker has no project), with the version and Python its results are keyed by.
 */
export async function workerTools(signal: AbortSignal): Promise<WorkerTools> {
  const config = { ...parseConfig("", "the worker's defaults"), tool_resolution: ["managed" as const, "path" as const] };
  const prepared = await prepareTools(BUILTIN_TOOL_NAMES, config, os.tmpdir(), null, new Map(), signal);
  const programs = new Map<string, { program: Program; identity: ToolIdentity }>();
  for (const tool of prepared) {
    if (tool.kind !== "ready" || tool.version === null) continue;
    const python = tool.program.kind === "process" ? await venvPythonVersion(tool.program.executable) : null;
    programs.set(tool.name, { program: tool.program, identity: { version: tool.version, python } });
  }
  const lock = jackpoolLock();
  const marker = await readMarker(managedEnv(lock), lock);
  const environment: ToolEnvironment = {
    jackpool: JACKPOOL_VERSION,
    lock: lock.hash,
    python: marker?.pythonVersion ?? null,
    tools: Object.fromEntries([...programs].map(([name, { identity }]) => [name, identity])),
  };
  return { environment, id: environmentId(environment), programs };
}
