import { UserError } from "../../core/errors.js";
import { iniSection, tomlTable } from "../reading/settings-files.js";

/** mypy's report options: each writes a report directory (or file) where it is told, the project included. */
export const REPORT_OPTIONS = [
  "--any-exprs-report",
  "--cobertura-xml-report",
  "--html-report",
  "--linecount-report",
  "--linecoverage-report",
  "--lineprecision-report",
  "--txt-report",
  "--xml-report",
  "--xslt-html-report",
  "--xslt-txt-report",
];

/**
 * Refuses mypy settings that write reports (`linecount_report = dir`, any `*_report`), which no command-line option
 * turns off: for mypy, and for refurb, whose type analysis is mypy reading the same settings. mypy reads `configFile`
 * when given (its `--config-file`), else the first of its settings files it finds: all of them are checked.
 */
export async function refuseMypyReports(root: string, configFile?: string): Promise<void> {
  const files = configFile === undefined ? ["mypy.ini", ".mypy.ini", "setup.cfg"] : [configFile];
  const entries = [
    ...(await Promise.all(files.map((file) => iniSection(root, file, "mypy")))).flat(),
    ...(configFile === undefined || configFile.endsWith(".toml")
      ? await tomlTable(root, configFile ?? "pyproject.toml", ["tool", "mypy"])
      : []),
  ];
  const report = entries.find((entry) => entry.key.endsWith("_report"));
  if (report) {
    throw new UserError(
      `${report.file}:${report.line}: mypy setting "${report.key}" is not allowed: it writes a report into the project, and jackpool scan never lets a tool write files`,
    );
  }
}
