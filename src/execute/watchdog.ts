import { spawn, type ChildProcess } from "node:child_process";
import type { Socket } from "node:net";

/**
 * The watchdog's program. It reads `+pid` (a tool's process group started) and `-pid` (it ended) from jackpool
 * through a pipe; end of input means jackpool is gone (exited, crashed, or was SIGKILLed, which no handler of
 * jackpool's own can see), and every group still listed is killed. The list is a space-delimited string, edited
 * with parameter expansion alone, so the watchdog starts no process until then.
 */
const PROGRAM = `
groups=" "
while read -r op pid; do
  case "$op" in
    +) groups="$groups$pid " ;;
    -) case "$groups" in *" $pid "*) groups="\${groups%% $pid *} \${groups#* $pid }" ;; esac ;;
  esac
done
for pid in $groups; do kill -s KILL -- "-$pid" 2>/dev/null; done
`;

let watchdog: ChildProcess | null | undefined;

/**
 * This thread's watchdog, started before its first tool (so it is there when the tool is handed over): a `sh` of
 * its own process group (Ctrl-C in a terminal does not reach it), holding the read end of a pipe that only this
 * process writes to. Neither keeps jackpool running. Null when it cannot start: tools then still run, only
 * without this guard.
 */
export function startWatchdog(): ChildProcess | null {
  if (watchdog !== undefined) return watchdog;
  try {
    const child = spawn("/bin/sh", ["-c", PROGRAM], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
    child.on("error", () => (watchdog = null));
    child.stdin?.on("error", () => (watchdog = null));
    child.unref();
    (child.stdin as Socket | null)?.unref();
    watchdog = child;
  } catch {
    watchdog = null;
  }
  return watchdog;
}

/**
 * Tools run detached, in process groups of their own, so jackpool can kill them with everything they started.
 * The flip side: when jackpool itself dies without a chance to clean up (SIGKILL, a crash), they would run on
 * unattended, past every timeout. `watchGroup` hands a tool's group to the watchdog, right after the spawn (the
 * pipe takes the line at once), which kills it if jackpool disappears; `releaseGroup` takes it back once the tool
 * has ended.
 */
export function watchGroup(pid: number): void {
  startWatchdog()?.stdin?.write(`+ ${pid}\n`);
}

/** The group of `pid` ended (or was killed by jackpool): the watchdog forgets it. */
export function releaseGroup(pid: number): void {
  watchdog?.stdin?.write(`- ${pid}\n`);
}
