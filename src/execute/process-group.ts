/** How long a process group gets between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 300;

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    // A negative pid addresses the whole group: the tool and everything it started (mypy workers, shells).
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // the group is already gone
  }
}

/** True while any process of the group led by `pid` is alive. */
export function groupAlive(pid: number): boolean {
  return signalGroup(pid, 0);
}

/** SIGTERM the process group, then SIGKILL whatever is left after the grace period. Resolves when done. */
export async function killGroup(pid: number): Promise<void> {
  if (!signalGroup(pid, "SIGTERM")) return;
  const deadline = Date.now() + KILL_GRACE_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (!groupAlive(pid)) return;
  }
  signalGroup(pid, "SIGKILL");
}
