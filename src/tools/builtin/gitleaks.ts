import { existsSync } from "node:fs";
import { mkdir, readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { defineTool, type ParsedRun } from "../tool.js";
import type { Finding } from "../../core/finding.js";
import { firstVersion, stderrTail } from "../reading/output-lines.js";
import { stripVTControlCharacters as stripAnsi } from "node:util";
import { toProjectPath } from "../reading/project-path.js";

/** The fields jackpool reads from a gitleaks JSON report entry; `Secret` and `Match` are never read. */
interface GitleaksLeak {
  RuleID: string;
  Description?: string;
  StartLine: number;
  EndLine?: number;
  StartColumn?: number;
  EndColumn?: number;
  File: string;
  SymlinkFile?: string;
}

/** The batch's files as links under the task directory: `gitleaks dir` scans exactly one directory. */
const TREE = "files";
const REPORT_FILE = "gitleaks.json";
const PROJECT_CONFIG = ".gitleaks.toml";
/** The version gitleaks reports when it was built without the release's linker flags (a plain `go install`). */
const UNSET_VERSION = "version is set by build process";

/**
 * gitleaks: secrets in files (not git history), per-file. It scans one directory, so each task links its files
 * into a tree in the task directory and scans that, following the links. The JSON report goes to the task
 * directory and `--redact` is always on: no secret reaches the report, the cache or the terminal.
 * Exit 0 clean, 1 leaks found (`--exit-code 1`), anything else (bad config) failed.
 */
export default defineTool(
  {
    name: "gitleaks",
    executable: "gitleaks",
    scope: "per-file",
    resultsDependOn: "own-file",
    brokenInput: "per-file",
    configFiles: [".gitleaks.toml", ".gitleaksignore"],
    include: ["*"],
    defaultTimeoutSec: 300,
    cost: { startupMs: 30, perFileMs: 0.3 },
    homepage: "https://github.com/gitleaks/gitleaks",
    package: { via: "go", name: "gitleaks" },
    class: "security",
    placement: "pooled",
  },
  {
    // Anything that would print or store secrets, or move the report jackpool reads.
    forbiddenArgs: [
      "--redact",
      "-v",
      "--verbose",
      "--report-path",
      "-r",
      "--report-format",
      "-f",
      "--report-template",
      "--exit-code",
      "--diagnostics",
      "--diagnostics-dir",
      "--baseline-path",
      "-b",
    ],
    optionParser: "exact", // cobra
    versionArgs: ["version"],
    parseVersion: (stdout) => (stdout.includes(UNSET_VERSION) ? "unknown" : firstVersion(stdout)),
    async stage(files, { taskDir, cwd }) {
      const tree = path.join(taskDir, TREE);
      await mkdir(tree, { recursive: true });
      for (const file of files) {
        const link = path.join(tree, file);
        await mkdir(path.dirname(link), { recursive: true });
        await symlink(path.join(cwd, file), link);
      }
      // gitleaks reads `.gitleaks.toml` from the top of the directory it scans: link the project's there.
      if (!files.includes(PROJECT_CONFIG) && existsSync(path.join(cwd, PROJECT_CONFIG))) {
        await symlink(path.join(cwd, PROJECT_CONFIG), path.join(tree, PROJECT_CONFIG));
      }
    },
    // --redact always, --no-color and --log-level=error keep its log (stderr) free of secrets and colour codes.
    buildArgs: (_files, { userArgs, taskDir }) => [
      "dir",
      "--no-banner",
      "--no-color",
      "--redact",
      "--log-level",
      "error",
      "--follow-symlinks",
      "--exit-code",
      "1",
      "--report-format",
      "json",
      "--report-path",
      path.join(taskDir, REPORT_FILE),
      ...userArgs,
      path.join(taskDir, TREE),
    ],
    async parse({ exitCode, stdout, stderr, cwd, taskDir }): Promise<ParsedRun> {
      if (exitCode !== 0 && exitCode !== 1) {
        return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      }
      let leaks: GitleaksLeak[];
      try {
        leaks = JSON.parse(await readFile(path.join(taskDir, REPORT_FILE), "utf8")) as GitleaksLeak[];
      } catch {
        // A config it cannot load ends the run before the report is written; its log (colour codes removed) says why.
        return { kind: "tool-error", message: `exited ${exitCode} without a report: ${stderrTail(stripAnsi(stderr || stdout))}` };
      }
      const tree = path.join(taskDir, TREE);
      const findings = leaks.map((leak): Finding => {
        // The link names the project file; `File` is where the link (finally) points.
        const file = leak.SymlinkFile ? path.relative(tree, leak.SymlinkFile) : toProjectPath(cwd, leak.File);
        // gitleaks counts columns from the previous line's newline character (detect/location.go), so below the
        // first line they come out one too high; jackpool's columns are 1-based, end columns exclusive.
        const shift = (line: number): number => (line > 1 ? -1 : 0);
        const finding: Finding = {
          tool: "gitleaks",
          rule: leak.RuleID,
          severity: "error",
          path: file.split(path.sep).join("/"),
          line: leak.StartLine,
          column: leak.StartColumn === undefined ? null : leak.StartColumn + shift(leak.StartLine),
          message: leak.Description ?? `possible secret (${leak.RuleID})`,
        };
        if (leak.EndLine !== undefined) finding.endLine = leak.EndLine;
        if (leak.EndColumn !== undefined) finding.endColumn = leak.EndColumn + 1 + shift(leak.EndLine ?? leak.StartLine);
        return finding;
      });
      if (exitCode === 1 && findings.length === 0) {
        return { kind: "tool-error", message: `exited 1 without findings: ${stderrTail(stderr)}` };
      }
      return { kind: "findings", findings };
    },
  },
);
