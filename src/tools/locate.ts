import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
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
  const result = await execa(executable, [...adapter.versionArgs], { reject: false, stdin: "ignore", timeout: 30_000 });
  if (result.exitCode !== 0) {
    const why = result.timedOut ? "timed out" : `exited ${result.exitCode ?? result.signal}`;
    return { error: `\`${adapter.executable} ${adapter.versionArgs.join(" ")}\` ${why}: ${result.stderr.trim().split("\n").pop() ?? ""}` };
  }
  return { version: adapter.parseVersion(result.stdout) };
}
