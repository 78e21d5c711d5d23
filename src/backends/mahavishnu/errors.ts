/** Why a pool tool did not do what was asked: the tool's own failure text, with its `[MHV-xxx]` code when it has one. */
export class PoolToolError extends Error {
  override readonly name: string = "PoolToolError";
  /** Mahavishnu's error code (`MHV-006`), when the failure is one of its own error types. */
  readonly code: string | undefined;
  /** The full failure text, recovery steps included. */
  readonly detail: string;

  constructor(
    readonly tool: string,
    detail: string,
  ) {
    // `[MHV-xxx] message\n\nRecovery steps: ...`: the first line says what happened, the rest how to recover.
    const firstLine = detail.split("\n", 1)[0] ?? detail;
    super(`${tool}: ${firstLine}`);
    this.detail = detail;
    this.code = /^\[(MHV-\d+)\]/.exec(firstLine)?.[1];
  }
}

/** The pool is gone: closed, or the server restarted (pools live in its memory only). */
export class PoolNotFoundError extends PoolToolError {
  override readonly name: string = "PoolNotFoundError";

  constructor(
    tool: string,
    readonly poolId: string,
  ) {
    super(tool, `Pool not found: ${poolId}`);
  }
}

/** Still rate limited after waiting as long as the caller allowed. */
export class RateLimitedError extends PoolToolError {
  override readonly name: string = "RateLimitedError";
}

/** The server could not be reached or stopped answering (connection refused or lost, request timed out). */
export class ServerUnavailableError extends Error {
  override readonly name: string = "ServerUnavailableError";
}

/** The failure text of a tool result (`{status: "failed", error}`) as a typed error. */
export function toolFailure(tool: string, error: string): PoolToolError {
  const notFound = /^Pool not found: (.*)$/.exec(error);
  return notFound ? new PoolNotFoundError(tool, notFound[1]!) : new PoolToolError(tool, error);
}
