/**
 * How one tool fared in a scan, over all its tasks; `not-installed`, `skipped` and `unsupported` are decided before
 * any task (the plan), the others by the tasks.
 */
export type ToolStatus = "passed" | "findings" | "error" | "timeout" | "not-installed" | "cancelled" | "skipped" | "unsupported";
