/** How serious a tool considers one finding. */
export type Severity = "error" | "warning" | "info";

/** One problem a tool reported, with the path relative to the project root (POSIX separators). */
export interface Finding {
  tool: string;
  rule: string;
  severity: Severity;
  path: string;
  line: number;
  /** 1-based; null when the tool does not report columns (codespell, vulture, refurb's mypy errors). */
  column: number | null;
  endLine?: number;
  endColumn?: number;
  message: string;
  url?: string;
}
