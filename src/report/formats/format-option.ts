import { UserError } from "../../core/errors.js";

/** Output formats of jackpool's reports and listings. */
export type ReportFormat = "text" | "json";

/** The `--format` value, checked; text when absent. */
export function reportFormat(value: string | undefined): ReportFormat {
  if (value === undefined || value === "text" || value === "json") return value ?? "text";
  throw new UserError(`--format: expected text or json, got "${value}"`);
}
