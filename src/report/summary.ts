import type { Report } from "./report.js";

/** "1 finding", "3 findings": a count with its noun. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** The scan's verdict in one word, from its exit code. */
export function verdictOf(report: Report): "passed" | "findings" | "failed" {
  return report.exitCode === 0 ? "passed" : report.exitCode === 1 ? "findings" : "failed";
}
