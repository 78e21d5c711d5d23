import type { Finding } from "../tools/finding.js";
import type { Report, ToolStatus } from "./report.js";
import type { Style } from "./style.js";

function location(finding: Finding): string {
  return finding.column === null ? `${finding.path}:${finding.line}` : `${finding.path}:${finding.line}:${finding.column}`;
}

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

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Findings grouped by file as `path:line:col tool rule message`, then the per-tool table and a summary. */
export function formatText(report: Report, style: Style): string {
  const lines: string[] = [];
  let currentPath: string | undefined;
  for (const finding of report.findings) {
    if (currentPath !== undefined && finding.path !== currentPath) lines.push("");
    currentPath = finding.path;
    const rule = finding.severity === "error" ? style.red(finding.rule) : style.yellow(finding.rule);
    lines.push(`${style.bold(location(finding))} ${style.dim(finding.tool)} ${rule} ${finding.message}`);
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
  const notes = report.tools.flatMap((tool) => tool.notes.map((note) => `${tool.tool}: ${note}`));
  if (notes.length > 0) lines.push("", ...notes.map((note) => style.dim(note)));
  const { files, findings, durationMs, fromMemory, savedMs } = report.summary;
  const memory = fromMemory > 0 ? `; ${fromMemory} result${fromMemory === 1 ? "" : "s"} from memory saved ${seconds(savedMs)} of tool time` : "";
  const verdict = report.exitCode === 0 ? style.green("passed") : report.exitCode === 1 ? style.yellow("findings") : style.red("failed");
  lines.push("", `${verdict}: ${findings} finding${findings === 1 ? "" : "s"} in ${files} file${files === 1 ? "" : "s"}, ${seconds(durationMs)}${memory}`);
  return `${lines.join("\n")}\n`;
}
