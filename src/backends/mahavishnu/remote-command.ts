import { REMOTE_TASK_COMMAND } from "./remote-task-runner.js";

/** Worker types whose terminal is a shell: they take a plain command line. */
const SHELL_WORKER_TYPES = new Set(["terminal-shell", "terminal-zsh"]);

/** POSIX single-quoting: safe for any path. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The prompt that makes a worker run the remote task runner with `runnerArgs` (task-exchange.ts): a plain
 * command line for shell worker types, the plan's `Execute: <command>` for AI worker types. Nothing reaches
 * the screen: stdout is dropped, stderr goes to `stderrFile`.
 */
export function remoteTaskPrompt(workerType: string, runner: readonly string[], runnerArgs: readonly string[], stderrFile: string): string {
  const command = `${[...runner, REMOTE_TASK_COMMAND, ...runnerArgs].map(shellQuote).join(" ")} >/dev/null 2>${shellQuote(stderrFile)}`;
  return SHELL_WORKER_TYPES.has(workerType) ? command : `Execute: ${command}`;
}
