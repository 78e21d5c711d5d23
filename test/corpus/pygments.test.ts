import { existsSync } from "node:fs";
import { appendFile, cp, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolName } from "../../src/core/tool-name.js";
import type { Report } from "../../src/report/report.js";
import { canonical, directFindings } from "../direct-run.js";
import { REAL_PROJECT, cachedMatchesUncached, explained, git, scanJson, writeFiles } from "../helpers.js";
import { startStandin } from "../standin-server.js";

// The plan's default tools but check-jsonschema: pygments has no JSON Schema settings, and no secrets (gitleaks finds none).
const TOOLS: ToolName[] = ["ruff", "refurb", "complexipy", "vulture", "codespell", "mypy", "skylos", "semgrep", "gitleaks"];
const FINDS_NOTHING: ToolName[] = ["gitleaks"];

/**
 * One real project the tests know by name (pygments 2.19.2, 338 files, scripts/fetch-real-project.sh), scanned cold
 * once and shared: what each tool reports directly, and how little one edit re-runs.
 */
describe.runIf(existsSync(REAL_PROJECT))("a real project (pygments 2.19.2, 338 files)", () => {
  let root = "";
  let cold: { report: Report; exitCode: number | undefined };

  beforeAll(async () => {
    // Its own directory, kept for both tests (a tempDir is removed after each test).
    root = await mkdtemp(path.join(os.tmpdir(), "jackpool-pygments-"));
    await cp(REAL_PROJECT, root, { recursive: true });
    await git(root, "init", "-q", "-b", "main");
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "initial");
    const { report, run } = await scanJson(root, ["--all", "--tools", TOOLS.join(",")]);
    cold = { report, exitCode: run.exitCode };
  }, 900_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  it("a cold scan reports exactly what each tool reports when run once, directly", async () => {
    expect(cold.exitCode).toBe(1);
    expect(cold.report.summary.files).toBeGreaterThanOrEqual(338);
    for (const tool of TOOLS) {
      const direct = await directFindings(tool, root);
      if (!FINDS_NOTHING.includes(tool)) expect(direct.length, `${tool} finds something in pygments`).toBeGreaterThan(0);
      expect(canonical(cold.report.findings.filter((finding) => finding.tool === tool)), tool).toEqual(canonical(direct));
    }
  });

  it("on Mahavishnu pools (the stand-in server), the per-file and import-keyed tools report what the cold local scan reported", async () => {
    const pooled: ToolName[] = ["ruff", "refurb", "complexipy", "vulture", "codespell"];
    const server = await startStandin();
    // The cold scan's settings (pygments has none of its own), plus the pools: in jackpool's state directory, which no
    // scan reads as a project file.
    const config = path.join(root, ".crackerjack", "pools.yaml");
    await writeFiles(root, {
      ".crackerjack/pools.yaml": `pool_scanning:\n  mcp_server_url: "${server.url}"\n  pool:\n    worker_type: terminal-shell\n  pooled_tools: [${pooled.join(", ")}]\n  local_tools: []\n`,
    });
    const scan = ["--all", "--no-cache", "--backend", "mahavishnu", "--jobs", "2", "--config", config, "--tools", pooled.join(",")];
    const remote = await scanJson(root, scan);
    expect(remote.run.stderr).toBe("");
    expect(remote.report.summary.findings).toBeGreaterThan(3000);
    const ofPooled = (report: Report): unknown => ({
      findings: report.findings.filter((finding) => pooled.includes(finding.tool)),
      tools: report.tools
        .filter((tool) => pooled.includes(tool.tool))
        .map(({ tool, version, status, files, findings }) => ({ tool, version, status, files, findings })),
    });
    expect(ofPooled(remote.report)).toEqual(ofPooled(cold.report));
  });

  it("after one edit, the cached scan equals an uncached one and re-runs little", async () => {
    // skylos alone takes about a minute on pygments per run; the cache treats it like vulture and mypy.
    const tools = ["--all", "--tools", "ruff,refurb,complexipy,vulture,codespell,mypy"];
    await appendFile(path.join(root, "pygments/lexers/python.py"), "\n\ndef _unused_helper(values):\n    return [v for v in values]\n");
    const { report, run } = await cachedMatchesUncached(root, tools);
    expect(explained(run.stderr, "miss", "ruff")).toEqual(["pygments/lexers/python.py"]);
    expect(explained(run.stderr, "miss", "refurb").length).toBeLessThan(20);
    expect(report.summary.fromMemory).toBeGreaterThan(1000);
  });
});
