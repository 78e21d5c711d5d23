import { constants } from "node:fs";
import { access, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import type { ToolAdapter } from "./adapter.js";

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Where a tool's executable is: the project's `.venv/bin` first, then PATH; null when neither has it. */
export async function locateExecutable(
  name: string,
  projectRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | null> {
  const pathDirs = (env.PATH ?? "").split(path.delimiter).filter((dir) => dir !== "");
  for (const dir of [path.join(projectRoot, ".venv", "bin"), ...pathDirs]) {
    const candidate = path.join(path.resolve(projectRoot, dir), name);
    if (await isExecutable(candidate)) return candidate;
  }
  return null;
}

/** A tool's version, or why asking for it failed (a broken install is an error, not a missing tool). */
export async function toolVersion(
  adapter: ToolAdapter,
  executable: string,
): Promise<{ version: string } | { error: string }> {
  // Tools with an environment of their own (semgrep: no version check, settings off the user's home) get it here too.
  const probeDir = adapter.environment ? await mkdtemp(path.join(os.tmpdir(), "jackpool-version-")) : null;
  const env = probeDir === null ? undefined : adapter.environment?.({ taskDir: probeDir, userArgs: [] });
  const result = await execa(executable, [...adapter.versionArgs], { reject: false, stdin: "ignore", timeout: 30_000, env }).finally(
    () => probeDir !== null && rm(probeDir, { recursive: true, force: true }),
  );
  if (result.exitCode !== 0) {
    const why = result.timedOut ? "timed out" : `exited ${result.exitCode ?? result.signal}`;
    return { error: `\`${adapter.executable} ${adapter.versionArgs.join(" ")}\` ${why}: ${result.stderr.trim().split("\n").pop() ?? ""}` };
  }
  return { version: adapter.parseVersion(result.stdout) };
}
