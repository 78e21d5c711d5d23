import { cp, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { execa } from "execa";
import { INSTALL_TIMEOUT_MS } from "./install-timeout.js";
import { isExecutable } from "../tools/python/environment.js";
import { locateExecutable, searchDirs } from "./locate.js";
import { outputLines } from "../tools/reading/output-lines.js";
import type { GoTool } from "./go-tools.js";

/** What became of one Go tool: its executable, or the one line that says why it is not there. */
export type GoToolResult = { tool: GoTool; executable: string } | { tool: GoTool; reason: string };

/** Where a wheelhouse keeps the Go modules the Go tools build from, laid out as a GOPROXY (a module cache's cache/download). */
function goModulesOf(wheelhouse: string): string {
  return path.join(wheelhouse, "go-modules");
}

async function findGo(): Promise<string | null> {
  return (await locateExecutable("go", await searchDirs(["path"], process.cwd())))?.path ?? null;
}

function spec(tool: GoTool): string {
  return `${tool.module}@${tool.version}`;
}

/** Runs go; null on success, else its last output line. */
async function runGo(go: string, args: readonly string[], env: Record<string, string>, signal: AbortSignal): Promise<string | null> {
  const result = await execa(go, args, {
    reject: false,
    stdin: "ignore",
    all: true,
    env,
    cancelSignal: signal,
    timeout: INSTALL_TIMEOUT_MS,
  });
  return result.failed ? `go ${args.join(" ")} failed: ${outputLines(result.all ?? "").at(-1) ?? `exit ${result.exitCode}`}` : null;
}

/**
 * Builds each Go tool missing from `bin` with `go install module@version`: from the Go module proxy, or offline
 * from the wheelhouse's Go modules (a file:// GOPROXY; their checksums were verified when they were downloaded).
 * A failure is reported per tool and never stops the others: the Python tools are useful without them.
 */
export async function installGoTools(
  tools: readonly GoTool[],
  bin: string,
  {
    offline,
    wheelhouse,
    signal,
    progress,
  }: { offline: boolean; wheelhouse?: string; signal: AbortSignal; progress: (line: string) => void },
): Promise<GoToolResult[]> {
  const results: GoToolResult[] = [];
  const go = tools.length > 0 ? await findGo() : null;
  const modules = wheelhouse === undefined ? null : goModulesOf(wheelhouse);
  const haveModules = modules !== null && (await stat(modules).catch(() => null))?.isDirectory() === true;
  for (const tool of tools) {
    const executable = path.join(bin, tool.name);
    if (await isExecutable(executable)) {
      results.push({ tool, executable });
      continue;
    }
    if (go === null) {
      results.push({ tool, reason: `Go is not on PATH (it builds ${tool.name} with go install ${spec(tool)})` });
      continue;
    }
    if (offline && !haveModules) {
      results.push({ tool, reason: `the wheelhouse has no go-modules/ (jackpool tools download fills it where Go is installed)` });
      continue;
    }
    progress(`building ${tool.name} ${tool.version}: go install ${spec(tool)}`);
    // CGO off: a static binary that needs no C toolchain.
    const env: Record<string, string> = { GOBIN: bin, CGO_ENABLED: "0" };
    if (offline) Object.assign(env, { GOPROXY: pathToFileURL(modules!).href, GOSUMDB: "off", GOTOOLCHAIN: "local" });
    const ldflags = tool.versionVariable === undefined ? [] : [`-ldflags=-X=${tool.versionVariable}=${tool.version.replace(/^v/, "")}`];
    const failed = await runGo(go, ["install", ...ldflags, spec(tool)], env, signal);
    results.push(failed === null ? { tool, executable } : { tool, reason: failed });
  }
  return results;
}

/**
 * Puts the modules each Go tool builds from into the wheelhouse's go-modules/, for an offline install. `go install
 * -n` resolves and downloads them (into a scratch module cache) without compiling anything.
 */
export async function downloadGoModules(
  tools: readonly GoTool[],
  wheelhouse: string,
  signal: AbortSignal,
): Promise<{ modules: string; failures: { tool: GoTool; reason: string }[] }> {
  const modules = goModulesOf(wheelhouse);
  if (tools.length === 0) return { modules, failures: [] };
  const go = await findGo();
  if (go === null) return { modules, failures: tools.map((tool) => ({ tool, reason: "Go is not on PATH" })) };
  const scratch = await mkdtemp(path.join(os.tmpdir(), "jackpool-gomod-"));
  try {
    // -modcacherw: module caches are read-only by default, and this one is removed afterwards.
    const env = { GOMODCACHE: scratch, GOFLAGS: `${process.env.GOFLAGS ?? ""} -modcacherw`.trim() };
    const failures = [];
    for (const tool of tools) {
      const failed = await runGo(go, ["install", "-n", spec(tool)], env, signal);
      if (failed !== null) failures.push({ tool, reason: failed });
    }
    if (failures.length < tools.length) await cp(path.join(scratch, "cache", "download"), modules, { recursive: true, force: true });
    return { modules, failures };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
