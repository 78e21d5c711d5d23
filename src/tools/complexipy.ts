import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ParsedRun, ToolAdapter } from "./tool.js";
import type { Finding } from "../core/finding.js";
import { firstVersion, outputLines, stderrTail } from "./reading/output-lines.js";
import { asOperand, toProjectPath } from "./reading/project-path.js";

interface SarifResult {
  ruleId?: string;
  level?: string;
  message?: { text?: string };
  locations?: {
    physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number; endLine?: number } };
  }[];
}

const REPORT_FILE = "complexipy.sarif";
// complexipy names a file it could not parse on stdout and leaves it out of the SARIF report.
const PARSE_FAILURE = /^error: Failed to process (.+?) - (.*)$/;

/** SARIF locations are URI references: `with%20space.py`, or `file:///abs/path`. */
function sarifPath(uri: string): string {
  return uri.startsWith("file:") ? fileURLToPath(uri) : decodeURIComponent(uri);
}

/** complexipy: cognitive complexity per function; its SARIF report is the only output with line numbers. */
export const complexipy: ToolAdapter = {
  name: "complexipy",
  executable: "complexipy",
  scope: "per-file",
  resultsDependOn: "own-file",
  brokenInput: "per-file",
  configFiles: ["pyproject.toml", "complexipy.toml", ".complexipy.toml"],
  include: ["*.py"],
  defaultTimeoutSec: 120,
  cost: { startupMs: 20, perFileMs: 0.4 },
  installHint: "pip install complexipy==8.3.0",
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
    let results: SarifResult[];
    try {
      const sarif = JSON.parse(await readFile(path.join(taskDir, REPORT_FILE), "utf8")) as {
        runs?: { results?: SarifResult[] }[];
      };
      results = (sarif.runs ?? []).flatMap((run) => run.results ?? []);
    } catch (error) {
      return { kind: "tool-error", message: `wrote no readable SARIF report: ${String(error)}` };
    }
    const findings: Finding[] = results.map((result) => {
      const location = result.locations?.[0]?.physicalLocation;
      const finding: Finding = {
        tool: "complexipy",
        rule: result.ruleId ?? "complexity",
        severity: result.level === "error" ? "error" : "warning",
        path: toProjectPath(cwd, sarifPath(location?.artifactLocation?.uri ?? "")),
        line: location?.region?.startLine ?? 1,
        column: null,
        message: result.message?.text ?? "",
      };
      if (location?.region?.endLine !== undefined) finding.endLine = location.region.endLine;
      return finding;
    });
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
};
