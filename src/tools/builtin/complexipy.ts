import { readFile } from "node:fs/promises";
import path from "node:path";
import { defineTool, type ParsedRun } from "../tool.js";
import { firstVersion, outputLines, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";
import { sarifFindings } from "../reading/sarif.js";

const REPORT_FILE = "complexipy.sarif";
// complexipy names a file it could not parse on stdout and leaves it out of the SARIF report.
const PARSE_FAILURE = /^error: Failed to process (.+?) - (.*)$/;

/** complexipy: cognitive complexity per function; its SARIF report is the only output with line numbers. */
export default defineTool(
  {
    name: "complexipy",
    executable: "complexipy",
    scope: "per-file",
    resultsDependOn: "own-file",
    brokenInput: "per-file",
    configFiles: ["pyproject.toml", "complexipy.toml", ".complexipy.toml"],
    include: ["*.py"],
    defaultTimeoutSec: 120,
    cost: { startupMs: 20, perFileMs: 0.4 },
    homepage: "https://github.com/rohaquinlop/complexipy",
    package: { via: "pip", name: "complexipy" },
    class: "heavy_cpu",
    placement: "pooled",
  },
  {
    forbiddenArgs: ["--fix", "--output", "--output-format", "--snapshot-create", "--plain", "-C", "--color"],
    optionParser: "exact", // clap
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    // The report and cache go to the task's own directory: by default complexipy writes both into the project.
    // `fix` and `snapshot-create` in its settings files would rewrite code or write a snapshot: overruled here.
    buildArgs: (files, { userArgs, taskDir }) => [
      "--fix=false",
      "--snapshot-create=false",
      "--output-format",
      "sarif",
      "--output",
      path.join(taskDir, REPORT_FILE),
      "--cache-dir",
      path.join(taskDir, "cache"),
      "--quiet",
      ...userArgs,
      ...files.map(asOperand),
    ],
    async parse({ exitCode, stdout, stderr, cwd, taskDir }): Promise<ParsedRun> {
      if (exitCode !== 0 && exitCode !== 1) {
        return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      }
      let report: string;
      try {
        report = await readFile(path.join(taskDir, REPORT_FILE), "utf8");
      } catch (error) {
        return { kind: "tool-error", message: `wrote no readable SARIF report: ${String(error)}` };
      }
      const sarif = sarifFindings(report, "complexipy", cwd, "complexity");
      if ("error" in sarif) return { kind: "tool-error", message: `wrote no readable SARIF report: ${sarif.error}` };
      const { findings } = sarif;
      for (const line of outputLines(stdout)) {
        const failure = PARSE_FAILURE.exec(line);
        if (!failure) continue;
        const [, file = "", reason = ""] = failure;
        findings.push({
          tool: "complexipy",
          rule: "parse-error",
          severity: "error",
          path: toProjectPath(cwd, file),
          line: 1,
          column: null,
          message: `failed to process: ${reason}`,
        });
      }
      if (exitCode === 1 && findings.length === 0) {
        return { kind: "tool-error", message: `exited 1 without findings: ${stderrTail(stderr || stdout)}` };
      }
      return { kind: "findings", findings };
    },
  },
);
