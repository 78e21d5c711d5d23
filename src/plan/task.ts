import type { ToolName } from "../tools/names.js";

/** One tool invocation over a batch of files: a plain value, so it can cross worker threads and MCP. */
export interface Task {
  /** Unique within one scan, e.g. `refurb#2`. */
  id: string;
  tool: ToolName;
  /** Absolute path of the resolved executable. */
  executable: string;
  /** Project-relative POSIX paths. */
  files: string[];
  /** Extra arguments from `tools.<name>.args`. */
  userArgs: string[];
  /** Absolute project root: the tool's working directory. */
  cwd: string;
  timeoutMs: number;
  /** Distributor's estimate, used for slowest-first ordering and progress. */
  estimatedMs: number;
}
