import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { UserError } from "../core/errors.js";
import { downloadGoModules } from "./go-install.js";
import { jackpoolLock, requirementArgs } from "./lock.js";
import { runPip } from "./pip.js";
import { findPython } from "./python.js";
import { createVenv } from "./venv.js";

/** What `jackpool tools download` was asked to do. */
export interface DownloadOptions {
  cwd: string;
  python?: string;
  wheelhouse?: string;
}

/**
 * `jackpool tools download --wheelhouse DIR`: the lock's packages for this platform and Python, for a later
 * `tools install --offline --wheelhouse DIR`. pip runs from a throwaway virtualenv, because a system Python
 * (Debian's) may have venv but no pip module.
 */
export async function downloadTools(options: DownloadOptions, signal: AbortSignal, print: (line: string) => void): Promise<void> {
  if (options.wheelhouse === undefined) throw new UserError("tools download: --wheelhouse DIR is required (where to put the packages)");
  const wheelhouse = path.resolve(options.cwd, options.wheelhouse);
  const lock = jackpoolLock();
  const python = await findPython(options.python, signal);
  await mkdir(wheelhouse, { recursive: true });
  const scratch = await mkdtemp(path.join(os.tmpdir(), "jackpool-pip-"));
  try {
    const venv = path.join(scratch, "venv");
    await createVenv(python, venv, signal);
    const args = [
      "download",
      "--no-deps",
      "--prefer-binary",
      "--progress-bar",
      "off",
      "--dest",
      wheelhouse,
      ...requirementArgs(lock.python),
    ];
    const failed = await runPip(path.join(venv, "bin", "python"), args, signal);
    if (failed !== null) throw new UserError(`tools download: pip download failed: ${failed}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  print(`downloaded ${lock.python.length} pinned packages for Python ${python.version} into ${wheelhouse}`);
  const go = await downloadGoModules(lock.go, wheelhouse, signal);
  for (const tool of lock.go) {
    const failure = go.failures.find((failed) => failed.tool === tool);
    print(
      failure
        ? `${tool.name} ${tool.version}: modules not downloaded: ${failure.reason}`
        : `${tool.name} ${tool.version}: its Go modules are in ${go.modules}`,
    );
  }
}
