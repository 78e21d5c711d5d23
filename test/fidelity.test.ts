import { describe, expect, it } from "vitest";
import { LocalPoolBackend } from "../src/backends/threads/pool.js";
import { loadConfig } from "../src/config/load.js";
import { selectFiles } from "../src/files/select.js";
import { defaultMaxArgBytes, distribute } from "../src/plan/distribute.js";
import type { ToolWork } from "../src/plan/work.js";
import { aggregate } from "../src/report/aggregate.js";
import { filesForTool, toolRuns } from "../src/plan/runs.js";
import { runTasks } from "../src/schedule/scheduler.js";
import type { ToolName } from "../src/core/tool-name.js";
import { builtinTool } from "../src/tools/registry.js";
import { canonical, directFindings } from "./direct-run.js";
import { BUILT_WORKER, SAMPLE_PROJECT, VENV_BIN, brief, projectCopy, scanJson } from "./helpers.js";
import path from "node:path";

const TOOLS: ToolName[] = [
  "ruff",
  "refurb",
  "complexipy",
  "vulture",
  "codespell",
  "mypy",
  "skylos",
  "semgrep",
  "gitleaks",
  "check-jsonschema",
];

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
    expect(brief(report, "mypy")).toEqual(["src/inventory/report.py:9:assignment"]);
    expect(brief(report, "skylos")).toEqual([
      "src/inventory/legacy.py:1:unused-function",
      "src/inventory/legacy.py:7:SKY-D201",
      "src/inventory/models.py:1:unused-import",
      "src/inventory/report.py:4:unused-function",
    ]);
    // The shipped rules' id, not semgrep's path-prefixed one (which names the directory jackpool is installed in).
    expect(brief(report, "semgrep")).toEqual(["src/inventory/legacy.py:7:jackpool.eval-exec-of-input"]);
    // A rule from the project's own .gitleaks.toml: gitleaks reads it although it scans a tree of links.
    expect(brief(report, "gitleaks")).toEqual(["config/settings.json:4:inventory-supplier-token"]);
    expect(brief(report, "check-jsonschema")).toEqual(["config/settings.json:1:schema-violation"]);
    expect(report.findings.filter((finding) => finding.tool === "mypy")[0]).toMatchObject({
      column: 18,
      endLine: 9,
      endColumn: 27,
      severity: "error",
      message: 'Incompatible types in assignment (expression has type "int", variable has type "str")',
    });
    expect(report.findings.find((finding) => finding.tool === "check-jsonschema")?.message).toBe(
      "$.reorder_days: 'seven' is not of type 'integer'",
    );
    expect(report.summary.findings).toBe(18);
    const ruffF401 = report.findings.find((finding) => finding.rule === "F401");
    expect(ruffF401).toMatchObject({ column: 8, endLine: 1, endColumn: 10, severity: "error", message: "`os` imported but unused" });
  });

  // Real projects (pygments, and the fidelity corpus in chunks of 25 files) are the corpus tier: npm run test:corpus.
  it("when every per-file tool is split into one-file chunks across worker threads", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const { pool_scanning: config } = await loadConfig(root);
    const files = await selectFiles(root, { mode: "all" }, config.exclude);
    const perFileTools = TOOLS.filter((tool) => builtinTool(tool)?.spec.scope === "per-file");
    const works: ToolWork[] = [];
    for (const tool of perFileTools) {
      const adapter = builtinTool(tool)!;
      // The project's settings for the tool (complexipy's limit, check-jsonschema's schemas), as a scan applies them.
      const override = config.tools[tool] ?? {};
      for (const run of await toolRuns(adapter, override, root, filesForTool(adapter, override, files))) {
        works.push({
          tool,
          scope: adapter.spec.scope,
          program: { kind: "process", executable: path.join(VENV_BIN, adapter.spec.executable) },
          ...run,
          timeoutMs: 600_000,
          cost: adapter.spec.cost,
        });
      }
    }
    const tasks = distribute(root, works, { workers: 2, maxArgBytes: defaultMaxArgBytes(), maxChunkFiles: 1 });
    expect(perFileTools).toEqual(["ruff", "refurb", "complexipy", "codespell", "semgrep", "gitleaks", "check-jsonschema"]);
    // check-jsonschema checks its one configured file; the others get one task per file.
    for (const tool of perFileTools.filter((tool) => tool !== "check-jsonschema")) {
      expect(tasks.filter((task) => task.tool === tool).length, tool).toBeGreaterThan(3);
    }
    const backend = new LocalPoolBackend({ threads: 2, workerFile: BUILT_WORKER });
    const records = await runTasks(tasks, backend, { signal: new AbortController().signal, failFast: false }).finally(() =>
      backend.close(),
    );
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
      expect(canonical(report.findings.filter((finding) => finding.tool === tool)), tool).toEqual(
        canonical(await directFindings(tool, root)),
      );
    }
  });
});
