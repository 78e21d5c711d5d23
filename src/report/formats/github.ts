import type { Finding, Severity } from "../../core/finding.js";
import { repositoryPath, type FormatContext } from "./formatter.js";
import { reportedFindings, type Report } from "../report.js";
import { counted } from "../../text/counted.js";
import { baselineLines, verdictOf } from "../summary.js";
import { toolHealth } from "../tool-health.js";

const COMMAND: Record<Severity, "error" | "warning" | "notice"> = { error: "error", warning: "warning", info: "notice" };

// The escaping GitHub's own toolkit applies (@actions/core, command.ts): message data loses %, CR and LF;
// property values also lose the ":" and "," that separate the command's parts.
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** `::command key=value,...::message`, properties left out when unknown. */
function workflowCommand(command: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  return `::${command}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

function annotationOf(finding: Finding, context: FormatContext): string {
  const hasColumn = finding.column !== null && finding.column >= 1;
  return workflowCommand(
    COMMAND[finding.severity],
    {
      file: repositoryPath(context, finding.path),
      line: finding.line,
      endLine: finding.endLine,
      col: hasColumn ? finding.column! : undefined,
      endColumn: hasColumn ? finding.endColumn : undefined,
      title: `${finding.tool} ${finding.rule}`,
    },
    finding.message,
  );
}

/**
 * GitHub Actions workflow commands: an annotation per finding (error, warning or notice by severity), one per
 * tool that failed or was cut short, and a plain summary line for the log.
 */
export function formatGithub(report: Report, context: FormatContext): string {
  // With a baseline, only new findings are annotated.
  const lines = reportedFindings(report).map((finding) => annotationOf(finding, context));
  for (const tool of report.tools) {
    const { outcome, messages } = toolHealth(tool);
    if (outcome !== "failed" && outcome !== "stopped") continue;
    lines.push(
      workflowCommand(outcome === "failed" ? "error" : "warning", { title: `jackpool: ${tool.tool} ${tool.status}` }, messages.join("\n")),
    );
  }
  const perTool = report.tools.filter((tool) => tool.findings > 0).map((tool) => `${tool.tool} ${tool.findings}`);
  const { findings, files } = report.summary;
  lines.push(
    `jackpool ${verdictOf(report)}: ${counted(findings, "finding")} in ${counted(files, "file")}${perTool.length > 0 ? ` (${perTool.join(", ")})` : ""}`,
  );
  lines.push(...baselineLines(report));
  return `${lines.join("\n")}\n`;
}
