import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LocalPoolBackend } from "../src/backends/local-pool.js";
import { loadConfig } from "../src/config/load.js";
import { selectFiles } from "../src/files/select.js";
import { distribute, type ToolWork } from "../src/plan/distribute.js";
import { aggregate } from "../src/report/aggregate.js";
import { filesForTool } from "../src/scan/prepare-tools.js";
import { runTasks } from "../src/scheduler.js";
import type { ToolName } from "../src/tools/names.js";
import { adapterFor } from "../src/tools/registry.js";
import { canonical, directFindings } from "./direct-run.js";
import { BUILT_WORKER, REAL_PROJECT, SAMPLE_PROJECT, VENV_BIN, brief, projectCopy, scanJson } from "./helpers.js";
import path from "node:path";

const TOOLS: ToolName[] = ["ruff", "refurb", "complexipy", "vulture", "codespell"];

describe("fidelity: jackpool reports exactly what each tool reports when run once, directly", () => {
  it("on the example project, with the known problems of every tool", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const { report, run } = await scanJson(root, ["--all", "--jobs", "2"]);
    expect(run.exitCode).toBe(1);
    for (const tool of TOOLS) {
      const mine = report.findings.filter((finding) => finding.tool === tool);
      expect(canonical(mine), tool).toEqual(canonical(await directFindings(tool, root)));
    }
    expect(brief(report, "ruff")).toEqual(["src/inventory/models.py:1:F401", "src/inventory/models.py:33:SIM102"]);
    expect(brief(report, "refurb")).toEqual(["src/inventory/legacy.py:3:FURB138", "src/inventory/models.py:12:FURB101"]);
    expect(brief(report, "complexipy")).toEqual(["src/inventory/models.py:17:CC001"]);
    // load_items and restock_plan are used from report.py: only a whole-project vulture run knows that.
    expect(brief(report, "vulture")).toEqual([
      "src/inventory/legacy.py:1:unused-function",
      "src/inventory/models.py:1:unused-import",
      "src/inventory/report.py:4:unused-function",
    ]);
    expect(brief(report, "codespell")).toEqual(["docs/notes.md:3:misspelling", "src/inventory/models.py:18:misspelling"]);
    const ruffF401 = report.findings.find((finding) => finding.rule === "F401");
    expect(ruffF401).toMatchObject({ column: 8, endLine: 1, endColumn: 10, severity: "error", message: "`os` imported but unused" });
  });

  it.runIf(existsSync(REAL_PROJECT))("on a real project (pygments 2.19.2, 338 files)", async () => {
    const root = await projectCopy(REAL_PROJECT);
    const { report, run } = await scanJson(root, ["--all", "--tools", TOOLS.join(",")]);
    expect(run.exitCode).toBe(1);
    expect(report.summary.files).toBeGreaterThanOrEqual(338);
    for (const tool of TOOLS) {
      const direct = await directFindings(tool, root);
      expect(direct.length, `${tool} finds something in pygments`).toBeGreaterThan(0);
      expect(canonical(report.findings.filter((finding) => finding.tool === tool)), tool).toEqual(canonical(direct));
    }
  });

  it.runIf(existsSync(REAL_PROJECT))("when every per-file tool is split into many chunks across worker threads", async () => {
    const root = await projectCopy(REAL_PROJECT);
    const { pool_scanning: config } = await loadConfig(root);
    const files = await selectFiles(root, { mode: "all" }, config.exclude);
    const perFileTools = TOOLS.filter((tool) => adapterFor(tool)?.scope === "per-file");
    const works: ToolWork[] = perFileTools.map((tool) => {
      const adapter = adapterFor(tool)!;
      return {
        tool,
        scope: adapter.scope,
        executable: path.join(VENV_BIN, adapter.executable),
        files: filesForTool(adapter, {}, files),
        userArgs: [],
        timeoutMs: 600_000,
        cost: adapter.cost,
      };
    });
    // A tiny argv budget forces per-file tools into chunks of a few dozen files each.
    const tasks = distribute(root, works, { workers: 2, maxArgBytes: 4096 + 2000 });
    expect(perFileTools).toEqual(["ruff", "refurb", "complexipy", "codespell"]);
    for (const tool of perFileTools) expect(tasks.filter((task) => task.tool === tool).length, tool).toBeGreaterThan(3);
    const backend = new LocalPoolBackend({ threads: 2, workerFile: BUILT_WORKER });
    const records = await runTasks(tasks, backend, { signal: new AbortController().signal, failFast: false }).finally(() => backend.close());
    const report = aggregate({
      version: "test",
      files: files.length,
      tools: perFileTools.map((tool) => ({ tool, version: null, files: 0 })),
      records,
      durationMs: 0,
      skipMissing: false,
    });
    expect(report.exitCode).toBe(1);
    for (const tool of perFileTools) {
      expect(canonical(report.findings.filter((finding) => finding.tool === tool)), tool).toEqual(canonical(await directFindings(tool, root)));
    }
  });
});
