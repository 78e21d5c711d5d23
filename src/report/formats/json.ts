import type { Report } from "../report.js";

/** The JSON report (schema/report.schema.json), pretty-printed with a final newline. */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
