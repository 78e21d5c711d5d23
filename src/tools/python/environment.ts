import { constants } from "node:fs";
import { access, open, readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { RunSettings } from "../tool.js";

/** The virtualenv a Python entry-point script runs in, read from its `#!…/bin/python` line; null if not one. */
export async function venvOf(executable: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(executable, "r");
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(256), 0, 256, 0);
    const shebang = /^#!(\S+)\/bin\/python[\d.]*\s/.exec(buffer.subarray(0, bytesRead).toString("latin1"));
    return shebang?.[1] ?? null;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}

/** The Python of the virtualenv the entry-point script `executable` runs in; null when it is not one, or that Python is missing. */
export async function venvPython(executable: string): Promise<string | null> {
  const venv = await venvOf(executable);
  const python = venv === null ? null : path.join(venv, "bin", "python");
  return python !== null && (await isExecutable(python)) ? python : null;
}

/**
 * The Python version (major.minor) of the virtualenv the entry-point script `executable` runs in, from its
 * `pyvenv.cfg`; null when it is not one. A Python tool parses with its interpreter's grammar: part of its identity.
 */
export async function venvPythonVersion(executable: string): Promise<string | null> {
  const venv = await venvOf(executable);
  if (venv === null) return null;
  const config = await readFile(path.join(venv, "pyvenv.cfg"), "utf8").catch(() => "");
  return /^version(?:_info)?\s*=\s*(\d+\.\d+)/m.exec(config)?.[1] ?? null;
}

/** The `site-packages` directories of a virtualenv (one per Python version it holds). */
export async function sitePackagesOf(venv: string): Promise<string[]> {
  const lib = path.join(venv, "lib");
  const pythons = (await readdir(lib)).filter((name) => name.startsWith("python")).sort();
  return pythons.map((python) => path.join(lib, python, "site-packages"));
}

/**
 * The distributions installed where a Python tool runs, as sorted `name-version.dist-info` names: what a
 * type-aware tool (refurb's mypy) may read besides the project. Null when the tool is not a virtualenv script.
 * Names and versions only, never paths or times, so the same environment gives the same list on every machine.
 */
export async function installedDistributions(executable: string): Promise<string[] | null> {
  const venv = await venvOf(executable);
  return venv === null ? null : venvDistributions(venv);
}

/** The distributions installed in a virtualenv, as `installedDistributions` lists them; null when it cannot be read. */
export async function venvDistributions(venv: string): Promise<string[] | null> {
  try {
    const names = await Promise.all((await sitePackagesOf(venv)).map((dir) => readdir(dir)));
    return names
      .flat()
      .filter((name) => name.endsWith(".dist-info"))
      .sort();
  } catch {
    return null;
  }
}

/** Whether `file` is a regular file this process may execute. */
export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * One plain run keyed on the project's `.venv` when it has one: for type checkers that find that virtualenv themselves
 * (ty, pyrefly), so its installed packages are part of their key.
 */
export async function projectEnvironmentRun(projectRoot: string): Promise<RunSettings[]> {
  const venv = path.join(projectRoot, ".venv");
  return (await isExecutable(path.join(venv, "bin", "python")))
    ? [{ args: [], inputs: {}, pythonEnvironment: venv }]
    : [{ args: [], inputs: {} }];
}
