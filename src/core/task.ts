import type { ToolName } from "./tool-name.js";

/** One tool invocation over a batch of files: a plain value, so it can cross worker threads and MCP. */
export interface Task {
  /** Unique within one scan, e.g. `refurb#2`. */
  id: string;
  tool: ToolName;
  /** Absolute path of the resolved executable. */
  executable: string;
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
