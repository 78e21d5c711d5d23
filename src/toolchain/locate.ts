import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { installedManagedBins } from "./managed-env.js";
import { jackpoolNpmBin } from "./npm-tools.js";
import { isExecutable } from "../tools/python/environment.js";
import type { Tool } from "../tools/tool.js";
import type { ToolSource } from "./tool-sources.js";

/** A directory to look for executables in, and which place it belongs to. */
export interface SearchDir {
  source: ToolSource;
  dir: string;
  /** The only executables taken from it (jackpool's npm `.bin` also holds eslint, tsc and such); undefined = any. */
  only?: readonly string[];
}

/** An executable found, and where. */
export interface LocatedTool {
  path: string;
  source: ToolSource;
}

/**
 * The directories to look in, in `order`: the managed ones (the environment `jackpool tools install` finished,
 * then the `.bin` of jackpool's own npm dependencies, for pyright), the project's `.venv/bin`, then each PATH entry.
 */
export async function searchDirs(
  order: readonly ToolSource[],
  projectRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SearchDir[]> {
  const managedBins = order.includes("managed") ? await installedManagedBins(env) : [];
  const npmBin = jackpoolNpmBin();
  const pathDirs = (env.PATH ?? "").split(path.delimiter).filter((dir) => dir !== "");
  return order.flatMap((source): SearchDir[] => {
    if (source === "managed") {
      const npmDirs = npmBin === null ? [] : [{ source, dir: npmBin.dir, only: npmBin.executables }];
      return [...managedBins.map((dir) => ({ source, dir })), ...npmDirs];
    }
    if (source === "project") return [{ source, dir: path.join(projectRoot, ".venv", "bin") }];
    return pathDirs.map((dir) => ({ source, dir: path.resolve(projectRoot, dir) }));
  });
}

/** Where a tool's executable is: the first of `dirs` that has it; null when none does. */
export async function locateExecutable(name: string, dirs: readonly SearchDir[]): Promise<LocatedTool | null> {
  for (const { source, dir, only } of dirs) {
    if (only && !only.includes(name)) continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return { path: candidate, source };
  }
  return null;
}

/**
 * A tool's version, or why asking for it failed (a broken install is an error, not a missing tool). Aborting
 * `signal` kills the probe: a `--version` that hangs must not hold up Ctrl-C.
 */
export async function toolVersion(tool: Tool, executable: string, signal: AbortSignal): Promise<{ version: string } | { error: string }> {
  const { driver } = tool;
  // Tools with an environment of their own (semgrep: no version check, settings off the user's home) get it here too.
  const probeDir = driver.environment ? await mkdtemp(path.join(os.tmpdir(), "jackpool-version-")) : null;
  const env = probeDir === null ? undefined : driver.environment?.({ taskDir: probeDir, userArgs: [] });
  const result = await execa(executable, [...driver.versionArgs], {
    reject: false,
    stdin: "ignore",
    timeout: 30_000,
    env,
    cancelSignal: signal,
  }).finally(() => probeDir !== null && rm(probeDir, { recursive: true, force: true }));
  if (result.exitCode !== 0) {
    const why = result.timedOut ? "timed out" : result.isCanceled ? "was interrupted" : `exited ${result.exitCode ?? result.signal}`;
    return { error: `\`${tool.spec.executable} ${driver.versionArgs.join(" ")}\` ${why}: ${result.stderr.trim().split("\n").pop() ?? ""}` };
  }
  return { version: driver.parseVersion(result.stdout) };
}
