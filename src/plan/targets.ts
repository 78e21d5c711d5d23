import { toolOfTask } from "../tools/registry.js";
import type { ToolWork } from "./work.js";

/**
 * Narrows each run about to happen to what its tool's own configuration checks (`ToolDriver.targets`: mypy's
 * `files` and `exclude`, pyright's `include`, vulture's `paths`), all at once. A run left with no files is dropped:
 * its tool has nothing to say about the files selected. Only for runs memory did not answer, so a warm scan asks
 * nothing.
 */
export async function narrowToTargets(works: readonly ToolWork[], cwd: string, signal: AbortSignal): Promise<ToolWork[]> {
  const narrowed = await Promise.all(
    works.map(async (work): Promise<ToolWork | null> => {
      const driver = toolOfTask(work)?.driver;
      if (!driver?.targets || work.program.kind !== "process") return work;
      const answer = await driver.targets(work.files, { cwd, executable: work.program.executable, userArgs: work.userArgs, signal });
      if ("configured" in answer) return { ...work, configured: true };
      return answer.files.length === 0 ? null : { ...work, files: answer.files };
    }),
  );
  return narrowed.filter((work) => work !== null);
}
