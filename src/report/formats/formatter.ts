import type { Report } from "../report.js";
import type { Style } from "../style.js";

/** What a formatter may need besides the report. */
export interface FormatContext {
  /** Absolute project root; the report's paths are relative to it. */
  root: string;
  /**
   * The project root relative to the top of its git repository ("" when it is the top, or not in git): CI
   * annotations name files from the repository's top, which differs when the project is a subdirectory.
   */
  rootInRepository: string;
  /** Colour and hyperlinks: on only for a terminal (style.ts decides). */
  style: Style;
  /** The text report lists baselined findings too (`--show-baselined`). */
  showBaselined?: boolean;
}

/** A report path as the repository names it (see FormatContext.rootInRepository). */
export function repositoryPath(context: FormatContext, file: string): string {
  return context.rootInRepository === "" ? file : `${context.rootInRepository}/${file}`;
}

/** Renders the whole report in one output format. */
export type Formatter = (report: Report, context: FormatContext) => string;
