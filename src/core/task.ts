import type { ToolName } from "./tool-name.js";

/**
 * How a task's tool runs: a process started from its executable, or inside the worker thread itself (the embedded
 * ruff, compiled to WebAssembly, when no ruff is installed).
 */
export type Program = { kind: "process"; executable: string } | { kind: "embedded" };

/** One tool invocation over a batch of files: a plain value, so it can cross worker threads and MCP. */
export interface Task {
  /** Unique within one scan, e.g. `refurb#2`. */
  id: string;
  tool: ToolName;
  program: Program;
  /**
   * For a tool the project declares in its config: that declaration (`tools.<name>`, already checked), so whoever runs
   * the task drives the tool as the scan does.
   */
  declaration?: Readonly<Record<string, unknown>>;
  /** Project-relative POSIX paths. */
  files: string[];
  /**
   * The tool's own configuration names what it checks (mypy's `files`): it runs with no file operands, and `files`
   * are what its result is kept for.
   */
  configured?: true;
  /** Extra arguments from `tools.<name>.args`. */
  userArgs: string[];
  /** Absolute project root: the tool's working directory. */
  cwd: string;
  timeoutMs: number;
  /** Distributor's estimate, used for slowest-first ordering and progress. */
  estimatedMs: number;
}
