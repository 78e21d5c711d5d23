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

/** The first words of the gate's own complaint when the program it is to start is not there or not executable. */
export const CANNOT_START = "jackpool: cannot start ";

/**
 * The gate every tool is launched through (`sh -c GATE jackpool-tool program args...`, stdin a pipe). It waits for
 * one line before it becomes the tool: jackpool sends it once the watchdog holds the group (`openGate`). A tool
 * started bare would run from the spawn on, so a jackpool SIGKILLed between the spawn and the `+pid` line (a
 * window a loaded machine stretches to tens of milliseconds) left it running unwatched; through the gate, the
 * pipe's end of input makes it exit without starting the tool. It costs one `exec` of a shell, about a
 * millisecond. The tool's stdin is then /dev/null, as jackpool gives every tool.
 */
const GATE = `read -r go || exit 0
case "$1" in */*) [ -f "$1" ] && [ -x "$1" ] ;; *) command -v -- "$1" >/dev/null ;; esac ||
  { printf '%s%s\\n' '${CANNOT_START}' "$1" >&2; exit 127; }
exec "$@" </dev/null`;

/** The program and arguments that start `program args` behind the gate. */
export function gated(program: string, args: readonly string[]): [string, string[]] {
  return ["/bin/sh", ["-c", GATE, "jackpool-tool", program, ...args]];
}

/**
 * Tools run detached, in process groups of their own, so jackpool can kill them with everything they started.
 * The flip side: when jackpool itself dies without a chance to clean up (SIGKILL, a crash), they would run on
 * unattended, past every timeout. `watchGroup` hands a gated tool's group to the watchdog right after the spawn,
 * and resolves once the line is in the pipe: then the gate may open, since the watchdog kills the group if
 * jackpool disappears from then on. `releaseGroup` takes it back once the tool has ended.
 */
export async function watchGroup(pid: number): Promise<void> {
  const stdin = startWatchdog()?.stdin;
  if (!stdin) return;
  // An error (the watchdog gone) is noted by startWatchdog's handler; the tool then runs unguarded, as without one.
  await new Promise<void>((resolve) => stdin.write(`+ ${pid}\n`, () => resolve()));
}

/** Lets a gated tool start: the line the gate waits for, then end of input. */
export function openGate(stdin: NodeJS.WritableStream | null): void {
  stdin?.end("go\n");
}

/** The group of `pid` ended (or was killed by jackpool): the watchdog forgets it. */
export function releaseGroup(pid: number): void {
  watchdog?.stdin?.write(`- ${pid}\n`);
}
