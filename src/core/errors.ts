/**
 * Problems with what the user asked for, which the user can fix: the CLI prints the message alone, on one line, and
 * exits 2. Every other error is a bug, printed with its stack.
 */
export class UserError extends Error {
  override readonly name: string = "UserError";
}

/** A problem with the user's configuration: its message is the whole one-line error, with file:line. */
export class ConfigError extends UserError {
  override readonly name = "ConfigError";
}

/** A file selection that cannot be made: a bad path, an unknown revision, git missing. */
export class SelectionError extends UserError {
  override readonly name = "SelectionError";
}

/** A plan that cannot be made: a whole-project tool whose file list cannot fit on one command line. */
export class PlanError extends UserError {
  override readonly name = "PlanError";
}

/** A baseline file that cannot be used: malformed, from a newer jackpool, hand-edited inconsistently, or merge-conflicted. */
export class BaselineError extends UserError {
  override readonly name = "BaselineError";
}
