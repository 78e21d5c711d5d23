import { existsSync } from "node:fs";
import { appendFile, cp, mkdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/report.js";
import type { ToolName } from "../../src/core/tool-name.js";
import { BUILTIN_TOOL_NAMES, builtinTool } from "../../src/tools/registry.js";
import { canonical, directRun, type DirectRun } from "../direct-run.js";
import { REPO, SYSTEM_PATH, VENV_BIN, git, scanJson, tempDir } from "../helpers.js";

/**
 * The fidelity corpus (scripts/fetch-corpus.sh): real PyPI projects chosen for the hard cases, each scanned once per
 * suite in every way that must give the tools' own answer, with many assertions on those few scans.
 * JACKPOOL_CORPUS picks the projects (comma-separated names under .cache/corpus; default: the CI tier).
 */
const CORPUS = path.join(REPO, ".cache", "corpus");
const PROJECTS = (process.env.JACKPOOL_CORPUS ?? "parso,more-itertools,zope.interface,werkzeug").split(",").filter(Boolean);
const TOOLS: ToolName[] = [...BUILTIN_TOOL_NAMES];
const PER_FILE_TOOLS = TOOLS.filter((tool) => builtinTool(tool)?.spec.scope === "per-file");
// Both tools give up on work at a time limit and then drop what they did not check, so their findings would depend on
// the machine's load: skylos's dead-code search at its budget, semgrep on a file at its per-rule timeout (0: none).
const ENV = { SKYLOS_GREP_BUDGET: "3600", SEMGREP_TIMEOUT: "0" };
/** The PATH `scanJson` gives jackpool (test/helpers.ts): the pinned tools, then the system's commands. */
const SCAN_PATH = [VENV_BIN, SYSTEM_PATH].join(path.delimiter);
/** Where the per-tool table of counts and times goes, for docs/benchmarks.md. */
const TABLE = path.join(CORPUS, "fidelity-table.md");

/** The findings of one tool in a report, comparable with a direct run's. */
function ofTool(report: Report, tool: string): string[] {
  return canonical(report.findings.filter((finding) => finding.tool === tool));
}

for (const project of PROJECTS) {
  const source = path.join(CORPUS, project);
  describe.runIf(existsSync(source))(`fidelity corpus: ${project}`, () => {
    const direct = new Map<ToolName, DirectRun>();
    const scans: Record<"cold" | "chunked" | "cached" | "staged", Report | undefined> = {
      cold: undefined,
      chunked: undefined,
      cached: undefined,
      staged: undefined,
    };
    let coldSeconds = 0;

    beforeAll(async () => {
      // Every file staged on top of an empty first commit: --all reads the index, and --staged covers every file.
      const root = await tempDir("jackpool-corpus-");
      await cp(source, root, { recursive: true, filter: (file) => !file.endsWith(`${path.sep}.git`) });
      await git(root, "init", "-q", "-b", "main");
      await git(root, "commit", "-q", "--allow-empty", "-m", "base");
      await git(root, "add", "-A", "-f");
      // The tools see the PATH jackpool's scans get (pyright finds its Python there).
      for (const tool of TOOLS) direct.set(tool, await directRun(tool, root, { ...ENV, PATH: SCAN_PATH }));
      const started = performance.now();
      scans.cold = (await scanJson(root, ["--all", "--tools", TOOLS.join(",")], { env: ENV })).report;
      coldSeconds = (performance.now() - started) / 1000;
      scans.chunked = (
        await scanJson(root, ["--all", "--no-cache", "--max-chunk-files", "25", "--tools", PER_FILE_TOOLS.join(",")], { env: ENV })
      ).report;
      scans.cached = (await scanJson(root, ["--all", "--tools", TOOLS.join(",")], { env: ENV })).report;
      scans.staged = (await scanJson(root, ["--staged", "--tools", TOOLS.join(",")], { env: ENV })).report;
    }, 3_600_000);

    afterAll(async () => {
      if (!scans.cold) return;
      const rows = TOOLS.map((tool) => {
        const run = direct.get(tool)!;
        const summary = scans.cold!.tools.find((entry) => entry.tool === tool);
        const mine = scans.cold!.findings.filter((finding) => finding.tool === tool).length;
        const status = run.error === undefined ? String(run.findings.length) : "error";
        return `| ${project} | ${tool} | ${status} | ${(run.durationMs / 1000).toFixed(1)} | ${summary?.status === "error" ? "error" : mine} | ${((summary?.durationMs ?? 0) / 1000).toFixed(1)} |`;
      });
      await mkdir(CORPUS, { recursive: true });
      await appendFile(
        TABLE,
        `${rows.join("\n")}\n| ${project} | (whole scan, cold) | | ${(TOOLS.reduce((sum, tool) => sum + direct.get(tool)!.durationMs, 0) / 1000).toFixed(1)} | | ${coldSeconds.toFixed(1)} |\n`,
      );
    });

    for (const tool of TOOLS) {
      it(`${tool}: cold, chunked, cached and --staged scans report what ${tool} reports directly`, () => {
        const run = direct.get(tool)!;
        const expected = canonical(run.findings);
        for (const [name, report] of Object.entries(scans)) {
          if (report === undefined || (name === "chunked" && !PER_FILE_TOOLS.includes(tool))) continue;
          const summary = report.tools.find((entry) => entry.tool === tool);
          if (run.error !== undefined) {
            // The tool fails on this project by itself (a settings file naming a file the sdist lacks): so it does here.
            expect(summary?.status, `${tool} (${name}): ${run.error}`).toBe("error");
            continue;
          }
          expect(summary?.status, `${tool} (${name}): ${summary?.notes.join("; ")}`).not.toBe("error");
          expect(ofTool(report, tool), `${tool} (${name})`).toEqual(expected);
        }
      });
    }

    it("the cached and --staged scans ran no tool that had a result to remember", () => {
      // A tool that failed has nothing remembered, and refurb stopped by a broken file runs once over all its files.
      const reruns = (tool: string) => builtinTool(tool)?.spec.brokenInput === "stops-run" && builtinTool(tool)?.spec.scope === "per-file";
      for (const report of [scans.cached, scans.staged]) {
        const remembered = report!.tools.filter(
          (tool) => tool.status !== "error" && tool.status !== "skipped" && !(reruns(tool.tool) && tool.findings > 0),
        );
        expect(
          remembered.every((tool) => tool.tasks === 0),
          JSON.stringify(report!.tools.map((tool) => [tool.tool, tool.tasks])),
        ).toBe(true);
        expect(report!.summary.fromMemory).toBeGreaterThan(0);
      }
    });
  });
}
