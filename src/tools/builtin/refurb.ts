import os from "node:os";
import { defineTool, type ParsedRun, type RunSettings } from "../tool.js";
import type { Finding } from "../../core/finding.js";
import { venvPython } from "../python/environment.js";
import { refuseMypyReports } from "../python/mypy-reports.js";
import { firstVersion, outputLines, stderrTail } from "../reading/output-lines.js";
import { asOperand, toProjectPath } from "../reading/project-path.js";

const REFURB_LINE = /^(.+?):(\d+):(\d+) \[([A-Z]+\d+)\]: (.*)$/;
// refurb runs mypy first; mypy's blocking errors (syntax errors) replace refurb's own findings.
const MYPY_ERROR = /^(.+?):(\d+)(?::(\d+))?: error: (.*?)(?: {2}\[([\w-]+)\])?$/;
const MYPY_NOTE = /^.+?:\d+(?::\d+)?: note: /;

/**
 * refurb's own entry point, ended by `os._exit` once its output is flushed. A Python process that exits normally
 * frees every object first, and mypy's graph of the checked modules is most of a refurb run's CPU (1.8 of 3.2 s for
 * one file of rich, docs/benchmarks.md); mypy's own command line skips that the same way (`util.hard_exit`), refurb
 * does not. The output is the same bytes. `-c` puts the working directory (the project) first on `sys.path`: it is
 * taken off, so a project with its own `refurb` or `mypy` package is checked, not imported.
 */
const HARD_EXIT = [
  "import sys",
  "del sys.path[0]",
  "import os",
  "from refurb.main import main",
  "code = main(sys.argv[1:])",
  "sys.stdout.flush()",
  "sys.stderr.flush()",
  "os._exit(code)",
].join("\n");

/** refurb's virtualenv's Python running HARD_EXIT; null (the executable itself) when refurb is not a virtualenv script. */
async function hardExiting(executable: string): Promise<string[] | null> {
  const python = await venvPython(executable);
  return python === null ? null : [python, "-c", HARD_EXIT];
}

/** refurb: modernisation hints on top of mypy's type analysis; text output, exit 1 = findings or errors. */
export default defineTool(
  {
    name: "refurb",
    executable: "refurb",
    scope: "per-file",
    resultsDependOn: "imports",
    brokenInput: "stops-run",
    readsInstalledPackages: true,
    configFiles: ["pyproject.toml", "mypy.ini", ".mypy.ini", "setup.cfg"],
    include: ["*.py"],
    defaultTimeoutSec: 900,
    // Each refurb process re-checks everything its files import (mypy writes no cache in the fine-grained mode
    // refurb forces), so a chunk costs seconds on top of its files: splitting only pays on large projects.
    cost: { startupMs: 3000, perFileMs: 13 },
    homepage: "https://github.com/dosisod/refurb",
    package: { via: "pip", name: "refurb" },
    class: "heavy_cpu",
    placement: "pooled",
  },
  {
    // `--` would hand the rest of the command line, files included, to mypy.
    forbiddenArgs: ["--format", "--debug", "--explain", "--"],
    optionParser: "exact", // its own parser: whole arguments only
    // mypy, which refurb runs, reads mypy's settings: a report they ask for would be written into the project.
    async runs(_override, root): Promise<RunSettings[]> {
      await refuseMypyReports(root);
      return [{ args: [], inputs: {} }];
    },
    versionArgs: ["--version"],
    parseVersion: (stdout) => {
      const mypy = /Mypy: v?(\S+)/.exec(stdout)?.[1];
      return mypy ? `${firstVersion(stdout)}+mypy${mypy}` : firstVersion(stdout);
    },
    launcher: hardExiting,
    // refurb gives `--` to mypy: a private cache dir per task, because concurrent refurb runs sharing
    // .mypy_cache crash with "database is locked" (and a warm cache does not make refurb faster).
    buildArgs: (files, { userArgs, taskDir }) => [
      "--quiet",
      ...userArgs,
      ...files.map(asOperand),
      "--",
      `--cache-dir=${os.platform() === "win32" ? taskDir : "/dev/null"}`,
    ],
    parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
      if ((exitCode !== 0 && exitCode !== 1) || /Traceback \(most recent call last\)/.test(stderr)) {
        return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      }
      const hints: Finding[] = [];
      // refurb prints mypy's errors only when mypy stopped at a blocking one (a syntax error): then nothing was analysed.
      const blocking: Finding[] = [];
      let afterMypyMessage = false;
      for (const line of outputLines(stdout)) {
        // mypy's `pretty = true` (a project's own mypy settings, which refurb reads) follows an error or note with its
        // source line and a caret, indented: part of the message, not output of refurb's own.
        if (afterMypyMessage && /^\s/.test(line)) continue;
        afterMypyMessage = false;
        const hint = REFURB_LINE.exec(line);
        if (hint) {
          const [, file = "", row = "", col = "", rule = "", message = ""] = hint;
          hints.push({
            tool: "refurb",
            rule,
            severity: "warning",
            path: toProjectPath(cwd, file),
            line: Number(row),
            column: Number(col),
            message,
          });
          continue;
        }
        const mypy = MYPY_ERROR.exec(line);
        if (mypy) {
          const [, file = "", row = "", col, message = "", code] = mypy;
          blocking.push({
            tool: "refurb",
            rule: `mypy-${code ?? "error"}`,
            severity: "error",
            path: toProjectPath(cwd, file),
            line: Number(row),
            column: col === undefined ? null : Number(col),
            message,
          });
          afterMypyMessage = true;
          continue;
        }
        if (MYPY_NOTE.test(line)) {
          afterMypyMessage = true;
          continue;
        }
        // refurb names itself before messages of its own (`refurb: can't read file ...`): the report names the task.
        return { kind: "tool-error", message: line.replace(/^refurb: /, "") };
      }
      if (blocking.length > 0) {
        return {
          kind: "findings",
          findings: [...blocking, ...hints],
          coverage: { kind: "stopped", by: [...new Set(blocking.map((finding) => finding.path))] },
        };
      }
      if (exitCode === 1 && hints.length === 0) {
        return { kind: "tool-error", message: `exited 1 without findings: ${stderrTail(stderr)}` };
      }
      return { kind: "findings", findings: hints };
    },
  },
);
