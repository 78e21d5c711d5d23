import { readFile, realpath, rename } from "node:fs/promises";
import path from "node:path";
import { hookState, locateHookFiles, onHookFiles, present, writeHook, type HookFiles } from "../hook/hook-files.js";
import { hookScript } from "../hook/hook-script.js";
import { selfCommand } from "../self/self-command.js";
import { findProjectRoot } from "../config/project-root.js";
import { UserError } from "../core/errors.js";

/** The project directory relative to the top of the work tree, where the hook must run jackpool ("" for the top). */
async function projectDir(cwd: string, top: string): Promise<string> {
  const relative = path.relative(await realpath(top), await realpath(await findProjectRoot(cwd)));
  const outside = relative === ".." || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return outside ? "" : relative;
}

async function install(files: HookFiles, script: string): Promise<string> {
  const { hook, chained } = files;
  const state = await hookState(hook);
  switch (state) {
    case "jackpool":
      if ((await readFile(hook, "utf8")) === script) return `jackpool pre-commit hook already installed in ${hook}`;
      await writeHook(hook, script);
      return `updated jackpool pre-commit hook in ${hook}`;
    case "jackpool-edited":
      throw new UserError(
        `install: ${hook} is jackpool's hook edited since it was installed; undo the edits or delete it, then run jackpool install again`,
      );
    case "other":
      if (await present(chained)) {
        throw new UserError(
          `install: ${hook} is not jackpool's and ${chained} already exists, so it cannot be moved aside; remove one of them`,
        );
      }
      await rename(hook, chained);
      try {
        await writeHook(hook, script);
      } catch (error) {
        await rename(chained, hook);
        throw error;
      }
      return `installed jackpool pre-commit hook in ${hook}; the hook that was there is now ${chained} and runs first`;
    case "absent":
      await writeHook(hook, script);
      return (await present(chained))
        ? `installed jackpool pre-commit hook in ${hook}; it runs ${chained} first`
        : `installed jackpool pre-commit hook in ${hook}`;
  }
}

/** `jackpool install`: a pre-commit hook that runs `jackpool scan --staged`, chaining the hook that was there. */
export async function installCommand(cwd: string): Promise<number> {
  const files = await locateHookFiles(cwd, "install");
  const script = hookScript({ program: selfCommand(), args: ["scan", "--staged"], projectDir: await projectDir(cwd, files.top) });
  process.stdout.write(`${await onHookFiles("install", files, () => install(files, script))}\n`);
  return 0;
}
