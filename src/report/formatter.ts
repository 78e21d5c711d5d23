import type { Report } from "./report.js";
import type { Style } from "./style.js";

/** What a formatter may need besides the report. */
export interface FormatContext {
  /** Absolute project root; the report's paths are relative to it. */
  root: string;
  /** Colour and hyperlinks: on only for a terminal (style.ts decides). */
  style: Style;
}

/** Renders the whole report in one output format. */
export type Formatter = (report: Report, context: FormatContext) => string;
