/**
 * Which Mahavishnu versions' pools can run a command (shared/mahavishnu-pool-contract.md). Up to 0.11 a worker's
 * terminal is a real one, given a terminal backend (its `npx mcpretentious` is gone from the registries, so it needs
 * a substitute). From 0.12 to 0.14 every terminal is a mock that echoes what it is sent and never runs it: a task
 * there would wait for a runner that never starts. Later versions default to that mock too but can be configured
 * with a tmux terminal; jackpool has not been tried against them, and tasks that never start move to the local pool.
 */

/** The first version whose terminal is always a mock, and the first that can be configured otherwise again. */
const MOCK_FROM: readonly [number, number] = [0, 12];
const CONFIGURABLE_FROM: readonly [number, number] = [0, 15];

function majorMinor(version: string): [number, number] | null {
  const match = /^(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function atLeast([major, minor]: readonly [number, number], [fromMajor, fromMinor]: readonly [number, number]): boolean {
  return major > fromMajor || (major === fromMajor && minor >= fromMinor);
}

/** Why the pools of a server of `version` (from its /health) cannot run jackpool's tasks, or null when they may. */
export function versionCannotRunCommands(version: string | undefined): string | null {
  const parsed = version === undefined ? null : majorMinor(version);
  if (parsed === null || !atLeast(parsed, MOCK_FROM) || atLeast(parsed, CONFIGURABLE_FROM)) return null;
  return "its pools cannot run commands (from 0.12 to 0.14 every worker's terminal is a mock that never runs one)";
}
