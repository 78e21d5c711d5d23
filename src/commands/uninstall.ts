import { rename, rm } from "node:fs/promises";
import { hookState, locateHookFiles, onHookFiles, present, type HookFiles } from "../hook/hook-files.js";
import { UserError } from "../core/errors.js";

async function uninstall({ dir, hook, chained }: HookFiles): Promise<string> {
  const state = await hookState(hook);
  if (state === "other") throw new UserError(`uninstall: ${hook} is not jackpool's hook; left as it is`);
  if (state === "jackpool-edited") {
    throw new UserError(
      `uninstall: ${hook} is jackpool's hook edited since it was installed; left as it is (delete it by hand if you no longer want it)`,
    );
  }
  const restore = await present(chained);
  // Moving the chained hook back replaces jackpool's in one step: no moment without a hook.
  if (restore) await rename(chained, hook);
  else if (state === "jackpool") await rm(hook);
  if (state === "absent")
    return restore ? `no jackpool pre-commit hook in ${dir}; moved ${chained} back to ${hook}` : `no jackpool pre-commit hook in ${dir}`;
  return restore
    ? `removed jackpool pre-commit hook; the hook it chained is back at ${hook}`
    : `removed jackpool pre-commit hook from ${hook}`;
}

/** `jackpool uninstall`: removes jackpool's pre-commit hook and puts back the hook it chained, if any. */
export async function uninstallCommand(cwd: string): Promise<number> {
  const files = await locateHookFiles(cwd, "uninstall");
  process.stdout.write(`${await onHookFiles("uninstall", files, () => uninstall(files))}\n`);
  return 0;
}
