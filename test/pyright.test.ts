import { readFile, readdir, realpath, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import pyright from "../src/tools/builtin/pyright.js";
import { installHint } from "../src/toolchain/install-hint.js";
import { jackpoolLock } from "../src/toolchain/lock.js";
import { canonical, directFindings } from "./direct-run.js";
import { REPO, SAMPLE_PROJECT, brief, jackpool, projectCopy, scanJson, writeFiles } from "./helpers.js";

const PINNED = (JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as { dependencies: Record<string, string> })
  .dependencies.pyright;

/** The sample project's config with pyright added to `local_tools`: the way a user turns it on. */
async function enablePyright(root: string): Promise<void> {
  const file = path.join(root, ".crackerjack.yaml");
  const config = await readFile(file, "utf8");
  await writeFile(
    file,
    config.replace(
      "local_tools: [ruff, vulture, codespell, mypy, check-jsonschema]",
      "local_tools: [ruff, vulture, codespell, mypy, check-jsonschema, pyright]",
    ),
  );
}

/** A `.venv` in `root` (no pip: nothing is downloaded) with a package `acme` installed by hand; returns its site-packages. */
async function venvWithAcme(root: string): Promise<string> {
  await execa("python3", ["-m", "venv", "--without-pip", path.join(root, ".venv")]);
  const lib = path.join(root, ".venv", "lib");
  const sitePackages = path.join(lib, (await readdir(lib))[0]!, "site-packages");
  await writeFiles(sitePackages, {
    "acme/__init__.py": "def double(n: int) -> int:\n    return n * 2\n",
    "acme-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: acme\nVersion: 1.0\n",
  });
  return sitePackages;
}

describe("pyright", () => {
  it("finds what a direct run finds on the example project, the deliberate type error included", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const { report, run } = await scanJson(root, ["--all", "--tools", "pyright", "--no-cache"]);
    expect(run.exitCode).toBe(1);
    expect(PINNED).toBe("1.1.414");
    expect(report.tools[0]).toMatchObject({ tool: "pyright", version: PINNED, status: "findings", files: 4 });
    expect(brief(report, "pyright")).toEqual([
      "src/inventory/models.py:14:reportArgumentType",
      "src/inventory/report.py:9:reportAssignmentType",
    ]);
    expect(report.findings.find((finding) => finding.path === "src/inventory/report.py")).toMatchObject({
      severity: "error",
      column: 18,
      endLine: 9,
      endColumn: 27,
      // pyright indents the explanation's lines with no-break spaces.
      message: 'Type "int" is not assignable to declared type "str"\n\u00a0\u00a0"int" is not assignable to "str"',
    });
    expect(canonical(report.findings)).toEqual(canonical(await directFindings("pyright", root)));
  });

  it("a config file it cannot parse (exit 3) is a crash with pyright's own words, not a pass", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await writeFiles(root, { "pyrightconfig.json": "{bad" });
    const { report, run } = await scanJson(root, ["--all", "--tools", "pyright", "--no-cache"]);
    expect(run.exitCode).toBe(2);
    expect(report.tools[0]).toMatchObject({ tool: "pyright", status: "error" });
    expect(report.tools[0]?.notes).toEqual([
      `pyright: exited 3: Config file "${path.join(root, "pyrightconfig.json")}" could not be parsed. Verify that format is correct.`,
    ]);
  });

  it("does not run by default; it runs once the config lists it, found in jackpool's own node_modules", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const { report } = await scanJson(root, ["--all", "--tools", "ruff,mypy", "--no-cache"]);
    expect(report.tools.map((tool) => tool.tool)).toEqual(["ruff", "mypy"]);
    const defaults = await scanJson(root, ["--all", "--no-cache"]);
    expect(defaults.report.tools.map((tool) => tool.tool)).not.toContain("pyright");
    const list = await jackpool(root, ["tools", "list", "--format", "json"]);
    expect((JSON.parse(list.stdout) as { tool: string }[]).map((row) => row.tool)).not.toContain("pyright");

    await enablePyright(root);
    const enabled = await scanJson(root, ["--all", "--no-cache"]);
    expect(enabled.report.tools.find((tool) => tool.tool === "pyright")).toMatchObject({ status: "findings", findings: 2 });
    const listed = JSON.parse((await jackpool(root, ["tools", "list", "--format", "json"])).stdout) as { tool: string }[];
    expect(listed.find((row) => row.tool === "pyright")).toEqual({
      tool: "pyright",
      found: true,
      source: "managed",
      // Node resolves packages by their real path (node_modules may be a link).
      path: path.join(await realpath(path.join(REPO, "node_modules")), ".bin", "pyright"),
      version: PINNED,
      scope: "whole-project",
      placement: "local",
      enabled: true,
      note: null,
    });
  });

  it("not found, it names npm, not `jackpool tools install`, which installs only the Python and Go tools", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  enabled: false\n  tool_resolution: [project]\n" });
    const { report, run } = await scanJson(root, ["--all", "--tools", "pyright"]);
    expect(run.exitCode).toBe(2);
    expect(report.tools[0]).toMatchObject({
      tool: "pyright",
      status: "not-installed",
      notes: [`pyright not found in .venv/bin; install it with: ${installHint(pyright, jackpoolLock())}`],
    });
    expect(installHint(pyright, jackpoolLock())).toContain(`pyright@${PINNED};`);
  });

  it("resolves imports from the project's .venv, and installing a package there invalidates its cached result", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await writeFiles(root, { "src/inventory/uses_acme.py": 'from acme import double\n\ndouble("x")\n' });
    await execa("git", ["add", "-A"], { cwd: root });
    const bare = await scanJson(root, ["--all", "--tools", "pyright", "--no-cache"]);
    // Without a project .venv, pyright asks the `python` on PATH (jackpool's tool environment here), which has no acme.
    expect(brief(bare.report, "pyright")).toContain("src/inventory/uses_acme.py:1:reportMissingImports");

    const sitePackages = await venvWithAcme(root);
    const first = await scanJson(root, ["--all", "--tools", "pyright"]);
    const uses = brief(first.report, "pyright").filter((finding) => finding.startsWith("src/inventory/uses_acme.py"));
    expect(uses).toEqual(["src/inventory/uses_acme.py:3:reportArgumentType"]);
    expect((await scanJson(root, ["--all", "--tools", "pyright"])).report.summary.fromMemory).toBe(1);

    await writeFiles(sitePackages, { "other-2.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: other\nVersion: 2.0\n" });
    const after = await scanJson(root, ["--all", "--tools", "pyright"]);
    expect(after.report.summary.fromMemory).toBe(0);
    expect(brief(after.report, "pyright")).toEqual(brief(first.report, "pyright"));
  });
});
