import { unreachable } from "../core/unreachable.js";
import type { ToolSummary } from "./report.js";

/**
 * How a tool's part of the scan ended, in the terms CI formats report it:
 * - `ran`: passed or had findings, and its findings are complete;
 * - `failed`: crashed, timed out or is not installed, so the scan cannot vouch for it (exit 2);
 * - `stopped`: cancelled by --fail-fast, so its findings may be partial;
 * - `not-run`: nothing to do (no files) or no adapter yet.
 */
export type ToolOutcome = "ran" | "failed" | "stopped" | "not-run";

/** The outcome of a tool and what to tell a reader about it (its notes, or a sentence for its status). */
export function toolHealth(tool: ToolSummary): { outcome: ToolOutcome; messages: string[] } {
  const outcome = outcomeOf(tool);
  // A cancelled tool has no notes of its own; every other non-passing status comes with at least one.
  const messages = tool.notes.length > 0 || outcome === "ran" ? tool.notes : [`${tool.tool} ${tool.status}: ${DEFAULT_MESSAGE[outcome]}`];
  return { outcome, messages };
}

const DEFAULT_MESSAGE: Record<Exclude<ToolOutcome, "ran">, string> = {
  failed: "the tool did not finish",
  stopped: "stopped before it finished (--fail-fast)",
  "not-run": "not run",
};

function outcomeOf(tool: ToolSummary): ToolOutcome {
  switch (tool.status) {
    case "passed":
    case "findings":
      return "ran";
    case "error":
    case "timeout":
    case "not-installed":
      return "failed";
    case "cancelled":
      return "stopped";
    case "skipped":
    case "unsupported":
      return "not-run";
    default:
      return unreachable(tool.status);
  }
}
