import { compareWithBaseline, goneEntries, identify } from "../baseline/apply.js";
import { entryOf, writeBaseline, type BaselineEntry } from "../baseline/file.js";
import { UserError } from "../core/errors.js";
import type { Report } from "../report/report.js";
import { counted } from "../text/counted.js";
import { toolHealth } from "../report/tool-health.js";
import { printable } from "../text/printable.js";

/** `jackpool baseline create|update [--accept-new --reason TEXT]`. */
export interface BaselineAction {
  action: "create" | "update";
  acceptNew: boolean;
  reason?: string;
}

/** Where the baseline is and what the scan saw. */
export interface BaselineTarget {
  root: string;
  contentRoot: string;
  /** Absolute path of the file. */
  file: string;
  /** As configured, relative to the project root: what messages name. */
  name: string;
  signal: AbortSignal;
}

/** The action's arguments, checked before anything runs. */
export function checkBaselineAction(action: string, acceptNew: boolean, reason: string | undefined): BaselineAction {
  if (action !== "create" && action !== "update") throw new UserError(`baseline: unknown action "${action}" (expected create or update)`);
  if (action === "create" && (acceptNew || reason !== undefined))
    throw new UserError("baseline create: --accept-new and --reason are for `baseline update`");
  if (acceptNew && (reason === undefined || reason.trim() === ""))
    throw new UserError("baseline update --accept-new: say why with --reason TEXT (it is recorded with each finding added)");
  if (!acceptNew && reason !== undefined) throw new UserError("baseline update: --reason goes with --accept-new");
  return { action, acceptNew, ...(reason !== undefined ? { reason: reason.trim() } : {}) };
}

/** Entries per tool, as "ruff 12, vulture 3". */
function perTool(entries: readonly BaselineEntry[]): string {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.tool, (counts.get(entry.tool) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tool, count]) => `${tool} ${count}`)
    .join(", ");
}

/**
 * Writes the baseline from a scan of every file: `create` accepts every finding; `update` drops the entries that are
 * gone, keeps the others (refreshed to the finding's current name and line content) and adds new findings only with
 * `--accept-new`. A scan a tool failed in cannot vouch for its findings: nothing is written (exit 2).
 */
export async function finishBaseline(
  action: BaselineAction,
  report: Report,
  existing: readonly BaselineEntry[] | null,
  target: BaselineTarget,
): Promise<number> {
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const failed = report.tools.filter((tool) => toolHealth(tool).outcome === "failed" || toolHealth(tool).outcome === "stopped");
  if (report.exitCode === 2 || failed.length > 0) {
    const why = failed.map((tool) => `${tool.tool} ${tool.status}: ${printable(toolHealth(tool).messages[0] ?? "")}`).join("; ");
    process.stderr.write(`jackpool: baseline ${action.action}: ${target.name} not written: ${why || "the scan failed"}\n`);
    return 2;
  }
  const identities = identify(report.findings, target.contentRoot);
  if (action.action === "create" || existing === null) {
    const entries = identities.map((identity) => entryOf(identity));
    await writeBaseline(target.file, entries, target.root);
    say(
      `wrote ${target.name}: ${entries.length} ${entries.length === 1 ? "entry" : "entries"}${entries.length > 0 ? ` (${perTool(entries)})` : ""}`,
    );
    return 0;
  }
  const comparison = await compareWithBaseline(existing, identities, (index) => identities[index]!.source, {
    root: target.root,
    baselineFile: target.name,
    signal: target.signal,
    pairExactly: true,
  });
  const unmatched = comparison.unmatched.map((index) => existing[index]!);
  const gone = new Set(
    (await goneEntries(report, unmatched, comparison.renames, { selected: null, root: target.root })).map((entry) => entry.fingerprint),
  );
  const entries: BaselineEntry[] = [];
  let added = 0;
  let refused = 0;
  identities.forEach((identity, index) => {
    const matched = comparison.entryOf[index];
    if (matched !== undefined) entries.push(entryOf(identity, existing[matched]!.reason));
    else if (action.acceptNew) {
      entries.push(entryOf(identity, action.reason));
      added++;
    } else refused++;
  });
  // Entries of tools that did not run (disabled, --tools) stay as they were: this scan says nothing about them.
  for (const entry of unmatched) if (!gone.has(entry.fingerprint)) entries.push(entry);
  await writeBaseline(target.file, entries, target.root);
  say(
    `updated ${target.name}: ${entries.length - added} kept, ${gone.size} gone ${gone.size === 1 ? "entry" : "entries"} dropped, ${added} new accepted`,
  );
  if (refused > 0)
    say(
      `${counted(refused, "new finding")} not added: \`jackpool baseline update --accept-new --reason TEXT\` accepts them (\`jackpool scan --all\` lists them)`,
    );
  return 0;
}
