import { execa } from "execa";
import { UserError } from "../core/errors.js";

/** The oldest Python the pinned tools run on. */
const MINIMUM = [3, 10] as const;

/** An interpreter to make a virtualenv from. */
export interface BasePython {
  /** Its real path (sys.executable), not a shim, so the environment does not depend on how it was found. */
  executable: string;
  version: string;
}

const PROBE = "import json, sys; print(json.dumps([sys.executable, list(sys.version_info[:3])]))";

/** The Python named by `--python` (a path or a command), else `python3` on PATH; it must be 3.10 or newer. */
export async function findPython(requested: string | undefined, signal: AbortSignal): Promise<BasePython> {
  const command = requested ?? "python3";
  const result = await execa(command, ["-c", PROBE], { reject: false, stdin: "ignore", cancelSignal: signal, timeout: 30_000 });
  if (result.failed) {
    const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
    if (missing) {
      throw new UserError(
        requested ? `--python ${requested}: not found` : "python3 not found on PATH; install Python 3.10 or newer, or pass --python",
      );
    }
    throw new UserError(`${command} does not run: ${result.stderr.trim().split("\n").pop() ?? `exit ${result.exitCode}`}`);
  }
  const [executable, [major = 0, minor = 0, micro = 0]] = JSON.parse(result.stdout) as [string, number[]];
  const version = `${major}.${minor}.${micro}`;
  if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
    throw new UserError(`${command} is Python ${version}; the pinned tools need Python ${MINIMUM.join(".")} or newer (pass --python)`);
  }
  return { executable, version };
}
