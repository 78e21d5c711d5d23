import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { alignColumns } from "../text/columns.js";
import { UserError } from "../core/errors.js";
import { installGoTools, type GoToolResult } from "./go-install.js";
import { environmentProblem } from "./health.js";
import { jackpoolLock, requirementArgs, type ToolLock } from "./lock.js";
import { managedEnv, readMarker, type InstallMarker, type ManagedEnv } from "./managed-env.js";
import { dependencyPins, pinnedTools } from "./pinned-tools.js";
import { runPip } from "./pip.js";
import { findPython, type BasePython } from "./python.js";
import { createVenv } from "./venv.js";
import { existingWheelhouse } from "./wheelhouse.js";

/** What `jackpool tools install` was asked to do. */
export interface InstallOptions {
  cwd: string;
  /** `--python`: the interpreter to build from (default: python3 on PATH). */
  python?: string;
  /** No network: Python packages from the wheelhouse only, Go tools from the local module cache only. */
  offline: boolean;
  wheelhouse?: string;
}

/** Where pip finds packages: the index (plus a wheelhouse if given), or, offline, the wheelhouse alone. */
function packageSourceArgs(wheelhouse: string | undefined, offline: boolean): string[] {
  const findLinks = wheelhouse === undefined ? [] : ["--find-links", wheelhouse];
  // --isolated: an air-gapped install depends on the wheelhouse alone, not on PIP_FIND_LINKS or a pip.conf.
  return offline ? ["--isolated", "--no-index", ...findLinks] : findLinks;
}

function installFailure(reason: string, wheelhouse: string | undefined, offline: boolean, python: BasePython): UserError {
  const missing = /(?:satisfies the requirement|No matching distribution found for) (\S+)/.exec(reason)?.[1];
  if (offline && missing !== undefined) {
    return new UserError(
      `tools install: the wheelhouse ${wheelhouse} has no ${missing} for this platform (Python ${python.version}); fill it with: jackpool tools download --wheelhouse ${wheelhouse}`,
    );
  }
  return new UserError(`tools install: pip install failed: ${reason}`);
}

/**
 * Makes the virtualenv from scratch and installs exactly the lock's pins with --no-deps: the lock is the whole
 * closure, so nothing unpinned gets in, and `pip check` (in the health check after) proves nothing is missing.
 * The marker is written last and only after the health check passes.
 */
async function buildEnvironment(
  managed: ManagedEnv,
  lock: ToolLock,
  python: BasePython,
  options: InstallOptions,
  wheelhouse: string | undefined,
  signal: AbortSignal,
): Promise<void> {
  const clear = () => Promise.all([managed.venv, managed.marker].map((file) => rm(file, { recursive: true, force: true })));
  await clear();
  await mkdir(managed.root, { recursive: true });
  try {
    await createVenv(python, managed.venv, signal);
    const sources = packageSourceArgs(wheelhouse, options.offline);
    const failed = await runPip(
      managed.python,
      ["install", "--no-deps", "--prefer-binary", "--progress-bar", "off", ...sources, ...requirementArgs(lock.python)],
      signal,
    );
    if (failed !== null) throw installFailure(failed, wheelhouse, options.offline, python);
    const marker: InstallMarker = { lockHash: lock.hash, basePython: python.executable, pythonVersion: python.version };
    await writeFile(`${managed.marker}.partial`, JSON.stringify(marker));
    await rename(`${managed.marker}.partial`, managed.marker);
    const problem = await environmentProblem(managed, lock, python, signal);
    if (problem !== null) throw new UserError(`tools install: the new environment is broken: ${problem}`);
  } catch (error) {
    // Nothing half-built stays behind: scans never use it, and the next install starts clean.
    await clear();
    throw error;
  }
}

function summary(lock: ToolLock, managed: ManagedEnv, goResults: readonly GoToolResult[]): string[] {
  const goByName = new Map(goResults.map((result) => [result.tool.name, result]));
  const rows = pinnedTools(lock).map((tool) => {
    const go = goByName.get(tool.name);
    if (go && "reason" in go) return [tool.name, tool.version, `not installed: ${go.reason}`];
    return [tool.name, tool.version, path.join(tool.via === "go" ? managed.goBin : managed.bin, tool.executable)];
  });
  const dependencies = dependencyPins(lock).map((pin) => `${pin.name} ${pin.version}`);
  return [
    ...alignColumns(rows),
    ...(dependencies.length > 0 ? [`with ${dependencies.length} pinned dependencies: ${dependencies.join(", ")}`] : []),
  ];
}

/** Where install reports: `print` for the result (stdout), `progress` for what it is doing meanwhile (stderr). */
export interface InstallOutput {
  print: (line: string) => void;
  progress: (line: string) => void;
}

/**
 * `jackpool tools install`: jackpool's pinned tools in `<cache>/tools/<lock hash>/`. A sound environment is left
 * as it is ("already installed"); a missing or broken one is built from scratch. Go tools missing from it are
 * built either way. Prints each tool with its version and where it is.
 */
export async function installTools(options: InstallOptions, signal: AbortSignal, io: InstallOutput): Promise<void> {
  const { print, progress } = io;
  if (options.offline && options.wheelhouse === undefined) {
    throw new UserError("tools install: --offline needs --wheelhouse DIR (a directory filled by jackpool tools download)");
  }
  const wheelhouse = options.wheelhouse === undefined ? undefined : await existingWheelhouse(options.wheelhouse, options.cwd);
  const lock = jackpoolLock();
  const managed = managedEnv(lock);
  const started = performance.now();
  const requested = options.python === undefined ? null : await findPython(options.python, signal);
  const problem = await environmentProblem(managed, lock, requested, signal);
  if (problem !== null) {
    if (problem !== "not installed") print(`rebuilding ${managed.root}: ${problem}`);
    const python = requested ?? (await findPython(undefined, signal));
    progress(`installing ${lock.python.length} pinned packages with Python ${python.version} into ${managed.venv}`);
    await buildEnvironment(managed, lock, python, options, wheelhouse, signal);
  }
  const goResults = await installGoTools(lock.go, managed.goBin, { offline: options.offline, wheelhouse, signal, progress });
  const marker = await readMarker(managed, lock);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const python = `Python ${marker?.pythonVersion ?? "?"}`;
  print(problem === null ? `already installed: ${managed.root} (${python})` : `installed into ${managed.root} (${python}, ${seconds}s)`);
  for (const line of summary(lock, managed, goResults)) print(line);
}
