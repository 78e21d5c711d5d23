import { mkdir } from "node:fs/promises";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { JACKPOOL, SYSTEM_PATH, VENV_BIN, tempDir } from "./helpers.js";

/** Whether this machine lets the suite make mount namespaces (root, or user namespaces): the queue tests need them. */
export async function canHideDirectories(): Promise<boolean> {
  const probe = await execa("unshare", ["-m", "sh", "-c", "mount -t tmpfs jackpool-probe /mnt"], { reject: false });
  return probe.exitCode === 0;
}

/** A `jackpool worker` process, in a directory of its own, that cannot see the directories it was told to hide. */
export interface QueueWorker {
  pid: number;
  /** Its own directory: its cache (the blobs it keeps) and its temp directory (the task trees). */
  dir: string;
  /** Everything it printed so far. */
  log(): string;
  /** The tasks it ran, as it logged them: `<task id>: <outcome kind>`. */
  ran(): string[];
  /** Stops it (SIGTERM) and waits; kill -9 is `process.kill(pid, "SIGKILL")`. */
  stop(): Promise<void>;
  done: ResultPromise;
}

/**
 * Starts a worker on `url` in a mount namespace of its own where each of `hide` is covered by an empty tmpfs: it sees
 * no project, and says so in its first line ("hidden: <entries left in the first hidden directory>"). `pathDirs` go
 * first on its PATH, before the pinned tools; `args` are more of `jackpool worker`'s. Resolves once it serves.
 */
export async function startWorker(
  url: string,
  {
    hide,
    pathDirs = [],
    slots = 1,
    env = {},
    args = [],
  }: { hide: string[]; pathDirs?: string[]; slots?: number; env?: Record<string, string>; args?: string[] },
): Promise<QueueWorker> {
  const dir = await tempDir("jackpool-worker-");
  await mkdir(path.join(dir, "tmp"));
  // "$@" is the directories to hide, then the worker's arguments.
  const script = `i=0
for d in "$@"; do [ $i -lt ${hide.length} ] || break; mount -t tmpfs -o size=1m jackpool-hidden "$d" || exit 97; i=$((i + 1)); done
echo "hidden: $(ls -A "$1" | wc -l)" >&2
shift ${hide.length}
exec "${process.execPath}" "${JACKPOOL}" worker --slots ${slots} "$@"`;
  const child = execa("unshare", ["-m", "sh", "-c", script, "sh", ...hide, ...args], {
    reject: false,
    stdin: "ignore",
    all: true,
    env: {
      ...env,
      PATH: [...pathDirs, VENV_BIN, SYSTEM_PATH].join(path.delimiter),
      JACKPOOL_QUEUE_URL: url,
      XDG_CACHE_HOME: path.join(dir, "cache"),
      TMPDIR: path.join(dir, "tmp"),
      NO_COLOR: "1",
    },
  });
  let output = "";
  child.all?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!/^worker: \d+ slots? on /m.test(output)) {
    if (child.exitCode !== null) throw new Error(`the worker exited ${child.exitCode}: ${output}`);
    if (Date.now() > deadline) throw new Error(`the worker did not start within 60 s: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    pid: child.pid ?? 0,
    dir,
    log: () => output,
    ran: () => [...output.matchAll(/^worker: (\S+) of scan \S+: (\S+),/gm)].map((match) => `${match[1]}: ${match[2]}`),
    stop: async () => {
      child.kill("SIGTERM");
      await child;
    },
    done: child,
  };
}
