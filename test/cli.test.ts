import { mkdtemp, readFile, readdir, rename, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_TOOL_NAMES } from "../src/tools/registry.js";
import { REPO, SAMPLE_PROJECT, jackpool, projectCopy, scanJson, tempDir, type JackpoolRun } from "./helpers.js";

describe("the jackpool command", () => {
  it("--version prints the package version; --help lists the scan options", async () => {
    const { version } = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8")) as { version: string };
    const run = await jackpool(REPO, ["--version"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`jackpool/${version}`);
    const help = await jackpool(REPO, ["scan", "--help"]);
    for (const option of [
      "--all",
      "--tools",
      "--skip-tools",
      "--jobs",
      "--format",
      "--output",
      "--config",
      "--fail-fast",
      "--verbose",
      "--quiet",
    ]) {
      expect(help.stdout).toContain(option);
    }
  });

  it("rejects unknown options, tools and commands with one line and exit 2", async () => {
    const root = await tempDir();
    expect(await jackpool(root, ["scan", "--everything"])).toMatchObject({
      exitCode: 2,
      stderr: "jackpool: unknown option --everything (see jackpool scan --help)",
    });
    expect(await jackpool(root, ["scan", "--bogus-flag"])).toMatchObject({
      exitCode: 2,
      stderr: "jackpool: unknown option --bogus-flag (see jackpool scan --help)",
    });
    expect(await jackpool(root, ["cache", "stats", "-x"])).toMatchObject({
      exitCode: 2,
      stderr: "jackpool: unknown option -x (see jackpool cache --help)",
    });
    const unknownTool = await jackpool(root, ["scan", "--tools", "ruff,pylint"]);
    expect(unknownTool.exitCode).toBe(2);
    expect(unknownTool.stderr).toBe(`jackpool: --tools: unknown tool "pylint" (known tools: ${BUILTIN_TOOL_NAMES.join(", ")})`);
    expect(await jackpool(root, ["scan", "--jobs", "0"])).toMatchObject({
      exitCode: 2,
      stderr: 'jackpool: --jobs: expected an integer from 1 to 1024, got "0"',
    });
    expect(await jackpool(root, ["scan", "--tools", ""])).toMatchObject({
      exitCode: 2,
      stderr: "jackpool: --tools: no tool named; expected a comma-separated list such as ruff,mypy",
    });
    expect(await jackpool(root, ["scan", "--tools"])).toMatchObject({
      exitCode: 2,
      stderr: "jackpool: Option '--tools <value>' argument missing",
    });
    expect(await jackpool(root, ["scna"])).toMatchObject({ exitCode: 2, stderr: 'jackpool: unknown command "scna" (see jackpool --help)' });
  });

  it("a switch given twice counts once; another option given twice is one line and exit 2", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const twice = await jackpool(root, [
      "scan",
      "--all",
      "--tools",
      "ruff",
      "--explain",
      "--explain",
      "--quiet",
      "--quiet",
      "--refresh",
      "--refresh",
    ]);
    expect(twice.exitCode).toBe(1);
    expect(twice.stderr.split("\n").filter((line) => line.startsWith("miss  ruff ") && line.endsWith("(--refresh)"))).toHaveLength(4);
    expect(await jackpool(root, ["scan", "--since", "HEAD", "--since", "HEAD~1"])).toMatchObject({
      exitCode: 2,
      stderr: "jackpool: --since was given more than once",
    });
    expect(await jackpool(root, ["scan", "--all", "--output", "a", "--output", "b"])).toMatchObject({
      exitCode: 2,
      stderr: "jackpool: --output was given more than once",
    });
  });

  it("option values stay the strings typed: a revision of digits with a leading zero is not a number", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const { git } = await import("./helpers.js");
    await git(root, "tag", "0123");
    const run = await jackpool(root, ["scan", "--since", "0123", "--tools", "ruff", "--quiet"]);
    expect(run).toMatchObject({ exitCode: 0, stderr: "" });
    expect(run.stdout).toMatch(/^passed: 0 findings in 0 files/m);
    const unknown = await jackpool(root, ["scan", "--since", "0124", "--tools", "ruff"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^jackpool: --since 0124: /);
  });

  it("refuses a bare git repository in one line, and writes nothing into it", async () => {
    const bare = await tempDir();
    const { git } = await import("./helpers.js");
    await git(bare, "init", "-q", "--bare");
    const before = (await readdir(bare)).sort();
    for (const command of [
      ["scan", "--all"],
      ["cache", "stats"],
    ]) {
      const run = await jackpool(bare, command);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toBe(
        `jackpool: ${bare} is a git directory (a bare repository or a .git), with no work tree to scan; run jackpool in a clone or a worktree`,
      );
    }
    expect((await readdir(bare)).sort()).toEqual(before);
  });

  it("exits 0 on a clean project and prints progress lines when not on a terminal", async () => {
    const root = await tempDir();
    const { writeFiles, git } = await import("./helpers.js");
    await writeFiles(root, { "clean.py": '"""Clean."""\n\nVALUE = 1\nprint(VALUE)\n' });
    await git(root, "init", "-q");
    await git(root, "add", "-A");
    const run = await jackpool(root, ["scan", "--all", "--tools", "ruff,vulture,codespell,complexipy"]);
    expect(run.stderr).toMatch(/^\[\d\/4\] ruff \(1 files\): 0 findings$/m);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^passed: 0 findings in 1 file, /m);
  });

  it("--fail-fast stops after the first tool with findings and still exits 1", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const { report, run } = await scanJson(root, ["--all", "--fail-fast", "--jobs", "1"]);
    expect(run.exitCode).toBe(1);
    expect(report.tools.filter((tool) => tool.status === "cancelled").length).toBeGreaterThan(0);
  });
});

describe("one cold scan of the example project with all ten tools, written as text and JSON at once", () => {
  let root = "";
  let run: JackpoolRun;
  beforeAll(async () => {
    // Its own directory, kept for both tests (a tempDir is removed after each test).
    root = path.join(await mkdtemp(path.join(os.tmpdir(), "jackpool-cli-")), "sample");
    await rename(await projectCopy(SAMPLE_PROJECT), root);
    run = await jackpool(root, ["scan", "--all", "--quiet", "--format", "text", "--format", "json:report.json"]);
  });
  afterAll(() => rm(path.dirname(root), { recursive: true, force: true }));

  it("writes a JSON report that validates against the published schema", async () => {
    expect(run.exitCode, run.stderr).toBe(1);
    const written = JSON.parse(await readFile(path.join(root, "report.json"), "utf8")) as unknown;
    const schema = JSON.parse(await readFile(path.join(REPO, "schema", "report.schema.json"), "utf8")) as object;
    const ajv = new Ajv({ allErrors: true });
    const valid = ajv.validate(schema, written);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(written).toMatchObject({ schemaVersion: 1, exitCode: 1, summary: { findings: 18 } });
  });

  it("the text report lists findings by file as path:line:col, then a table per tool", async () => {
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("src/inventory/models.py:1:8 ruff F401 `os` imported but unused\n");
    expect(run.stdout).toContain("docs/notes.md:3 codespell misspelling recieved ==> received\n");
    expect(run.stdout).toMatch(/^ruff +findings +4 +2 +\d+\.\ds$/m);
    expect(run.stdout).toMatch(/^findings: 18 findings in 10 files, \d+\.\ds$/m);
    expect(run.stdout).not.toContain("\u001b["); // NO_COLOR and not a terminal
    const coloured = await jackpool(root, ["scan", "--all", "--quiet"], { env: { FORCE_COLOR: "1", NO_COLOR: "" } });
    expect(coloured.stdout).toContain("\u001b[1msrc/inventory/models.py:1:8\u001b[22m");
  });
});
