import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Finding } from "../../core/finding.js";
import { findingLocation } from "./finding-location.js";
import type { FormatContext } from "./formatter.js";
import type { ToolStatus } from "../../core/tool-status.js";
import { reportedFindings, type Report } from "../report.js";
import type { Style } from "../style.js";
import { counted } from "../../text/counted.js";
import { baselineLines, verdictOf } from "../summary.js";
import { printable } from "../../text/printable.js";

function statusText(status: ToolStatus, style: Style): string {
  switch (status) {
    case "passed":
      return style.green(status);
    case "findings":
      return style.yellow(status);
    case "skipped":
    case "unsupported":
    case "cancelled":
      return style.dim(status);
    default:
      return style.red(status);
  }
}

/** Gone baseline entries the text report names one by one; the rest are counted. */
const GONE_LISTED = 20;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/**
 * The finding's file as a URL a terminal can open: `file://host/path#line`, the form `ls --hyperlink` and
 * ripgrep's kitty format use (the host lets a terminal tell a local file from one on a remote machine).
 */
function fileUrl(root: string, finding: Finding): string {
  return `file://${os.hostname()}${pathToFileURL(path.join(root, finding.path)).pathname}#${finding.line}`;
}

/**
 * Findings grouped by file as `path:line:col tool rule message`, then the per-tool table and a summary. What comes
 * from files and tools (paths, rules, messages, notes) is `printable`: a file name holding an escape sequence or a
 * line break cannot drive the terminal or forge report lines.
 */
export function formatText(report: Report, { root, style, showBaselined = false }: FormatContext): string {
  const lines: string[] = [];
  let currentPath: string | undefined;
  for (const finding of showBaselined ? report.findings : reportedFindings(report)) {
    if (currentPath !== undefined && finding.path !== currentPath) lines.push("");
    currentPath = finding.path;
    const rule = finding.severity === "error" ? style.red(printable(finding.rule)) : style.yellow(printable(finding.rule));
    const location = style.link(style.bold(printable(findingLocation(finding))), fileUrl(root, finding));
    const baselined = finding.baseline === "baselined" ? ` ${style.dim("(baselined)")}` : "";
    lines.push(`${location} ${style.dim(printable(finding.tool))} ${rule} ${printable(finding.message)}${baselined}`);
  }
  if (lines.length > 0) lines.push("");
  const width = Math.max(4, ...report.tools.map((tool) => tool.tool.length));
  lines.push(style.bold(`${"tool".padEnd(width)}  ${"status".padEnd(13)}  files  findings   time`));
  for (const tool of report.tools) {
    const status = statusText(tool.status, style) + " ".repeat(Math.max(0, 13 - tool.status.length));
    lines.push(
      `${tool.tool.padEnd(width)}  ${status}  ${String(tool.files).padStart(5)}  ${String(tool.findings).padStart(8)}  ${seconds(tool.durationMs).padStart(5)}`,
    );
  }
  const notes = report.tools.flatMap((tool) => tool.notes.map((note) => `${tool.tool}: ${printable(note)}`));
  if (notes.length > 0) lines.push("", ...notes.map((note) => style.dim(note)));
  const baseline = baselineLines(report, { listed: showBaselined });
  if (baseline.length > 0) lines.push("", ...baseline);
  const gone = report.baseline?.gone ?? [];
  for (const entry of gone.slice(0, GONE_LISTED))
    lines.push(style.dim(`  gone: ${printable(entry.path)} ${printable(entry.tool)} ${printable(entry.rule)} ${printable(entry.message)}`));
  if (gone.length > GONE_LISTED) lines.push(style.dim(`  … and ${gone.length - GONE_LISTED} more (the JSON report lists them all)`));
  const { files, findings, durationMs, fromMemory, savedMs } = report.summary;
  const memory = fromMemory > 0 ? `; ${counted(fromMemory, "result")} from memory saved ${seconds(savedMs)} of tool time` : "";
  const verdict = verdictOf(report);
  const verdictText = verdict === "passed" ? style.green(verdict) : verdict === "findings" ? style.yellow(verdict) : style.red(verdict);
  lines.push("", `${verdictText}: ${counted(findings, "finding")} in ${counted(files, "file")}, ${seconds(durationMs)}${memory}`);
  return `${lines.join("\n")}\n`;
}
