import { copyFile, readdir, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { beforeEach, describe, expect, it } from "vitest";
import type { Report } from "../src/report/report.js";
import { JACKPOOL_VERSION } from "../src/version.js";
import { REPO, SAMPLE_PROJECT, VENV_BIN, comparableReport, projectCopy, scanJson, tempDir } from "./helpers.js";

const BUILT_BINARY = path.join(REPO, "build", "jackpool");

/**
 * The single binary, copied alone into an empty directory outside the repository and run with an environment
 * holding nothing but git and the Python tools: no node on PATH, no node_modules anywhere above it.
 */
describe("single binary", () => {
  let binary: string;
  let env: Record<string, string>;
  // Per test: temp directories are removed after each one.
  beforeEach(async () => {
    if (!existsSync(BUILT_BINARY)) throw new Error(`${BUILT_BINARY} is missing: run npm run build`);
    const dir = await tempDir("jackpool-binary-");
    binary = path.join(dir, "jackpool");
    await copyFile(BUILT_BINARY, binary);
    const gitOnly = await tempDir("jackpool-git-only-");
    await symlink((await execa("sh", ["-c", "command -v git"])).stdout, path.join(gitOnly, "git"));
    env = { PATH: [gitOnly, VENV_BIN].join(path.delimiter), HOME: await tempDir("jackpool-home-"), NO_COLOR: "1" };
    const node = await execa("sh", ["-c", "command -v node"], { env, extendEnv: false, reject: false });
    expect(node.exitCode).not.toBe(0); // the point of the test: Node is out of reach
  });

  const run = (cwd: string, args: string[], extraEnv: Record<string, string> = {}) =>
    execa(binary, args, { cwd, env: { ...env, ...extraEnv }, extendEnv: false, reject: false, stdin: "ignore" });

  it("prints its version and help", async () => {
    const cwd = await tempDir();
    const version = await run(cwd, ["--version"]);
    expect(version.exitCode).toBe(0);
    expect(version.stdout).toMatch(new RegExp(`^jackpool/${JACKPOOL_VERSION.replaceAll(".", "\\.")} `));
    const help = await run(cwd, ["--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("scan [...paths]");
    const scanHelp = await run(cwd, ["scan", "--help"]);
    expect(scanHelp.exitCode).toBe(0);
    expect(scanHelp.stdout).toContain("--staged");
  });

  it("runs a real scan on worker threads and reports what the compiled CLI reports", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const result = await run(root, ["scan", "--all", "--no-cache", "--format", "json", "--quiet"]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((finding) => `${finding.path}:${finding.line}:${finding.tool}:${finding.rule}`)).toContain(
      "src/inventory/models.py:1:ruff:F401",
    );
    expect(report.summary.findings).toBe(18);
    const { report: compiled } = await scanJson(root, ["--all", "--no-cache"]);
    expect(comparableReport(report)).toBe(comparableReport(compiled));
    // The worker bundles were written once, by content, to the XDG cache.
    expect((await readdir(path.join(env.HOME!, ".cache", "jackpool"))).filter((name) => name.startsWith("workers-"))).toHaveLength(1);
  });

  it("still scans when the cache directory cannot be written", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const notADirectory = path.join(await tempDir(), "file");
    await writeFile(notADirectory, "");
    const result = await run(root, ["scan", "--all", "--no-cache", "--tools", "ruff", "--format", "json", "--quiet"], {
      XDG_CACHE_HOME: notADirectory,
    });
    expect(result.exitCode).toBe(1);
    expect((JSON.parse(result.stdout) as Report).findings.map((finding) => `${finding.path}:${finding.line}:${finding.rule}`)).toEqual([
      "src/inventory/models.py:1:F401",
      "src/inventory/models.py:33:SIM102",
    ]);
  });
});
