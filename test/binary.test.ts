import { copyFile, readFile, readdir, symlink, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { beforeEach, describe, expect, it } from "vitest";
import type { Report } from "../src/report/report.js";
import { JACKPOOL_VERSION } from "../src/self/version.js";
import { startStandin } from "./standin-server.js";
import { startRedis } from "./redis-server.js";
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
    // The system's programs (git, uname, ...) without Node: a machine that never had it installed.
    const withoutNode = await tempDir("jackpool-without-node-");
    for (const dir of ["/usr/local/bin", "/usr/bin", "/bin"]) {
      for (const name of await readdir(dir).catch(() => [])) {
        if (/^(node|nodejs|npm|npx|corepack)$/.test(name)) continue;
        await symlink(path.join(dir, name), path.join(withoutNode, name)).catch(() => undefined); // first one wins
      }
    }
    env = { PATH: [withoutNode, VENV_BIN].join(path.delimiter), HOME: await tempDir("jackpool-home-"), NO_COLOR: "1" };
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
    const result = await run(root, ["scan", "--all", "--no-cache", "--backend", "local", "--format", "json", "--quiet"]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.findings.map((finding) => `${finding.path}:${finding.line}:${finding.tool}:${finding.rule}`)).toContain(
      "src/inventory/models.py:1:ruff:F401",
    );
    expect(report.summary.findings).toBe(18);
    const { report: compiled } = await scanJson(root, ["--all", "--no-cache", "--backend", "local"]);
    expect(comparableReport(report)).toBe(comparableReport(compiled));
    // The worker bundles were written once, by content, to the XDG cache.
    expect((await readdir(path.join(env.HOME!, ".cache", "jackpool"))).filter((name) => name.startsWith("workers-"))).toHaveLength(1);
  });

  it("keys refurb on interface digests made by its embedded script, as the compiled CLI does", async () => {
    const [fromBinary, fromCompiled] = [await projectCopy(SAMPLE_PROJECT), await projectCopy(SAMPLE_PROJECT)];
    const args = ["--all", "--tools", "refurb", "--backend", "local"];
    expect((await run(fromBinary, ["scan", ...args, "--quiet"])).exitCode).toBe(1);
    expect((await scanJson(fromCompiled, args)).run.exitCode).toBe(1);
    const saved = async (root: string) =>
      JSON.parse(await readFile(path.join(root, ".crackerjack/interfaces.json"), "utf8")) as {
        tag: string;
        digests: Record<string, string>;
      };
    const [binaryDigests, compiledDigests] = [await saved(fromBinary), await saved(fromCompiled)];
    // report.py imports inventory.models: models.py and the package's __init__.py; no digest is a content fallback.
    expect(Object.values(binaryDigests.digests)).toEqual([
      expect.stringMatching(/^[0-9a-f]{64}$/),
      expect.stringMatching(/^[0-9a-f]{64}$/),
    ]);
    expect(binaryDigests).toEqual(compiledDigests);
  });

  it("with no Python tools at all, lints with its embedded WebAssembly ruff", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const result = await run(root, ["scan", "--all", "--no-cache", "--tools", "ruff", "--format", "json", "--quiet"], {
      PATH: env.PATH!.split(path.delimiter)[0]!, // no Python tools
    });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.tools[0]?.version).toMatch(/\+wasm$/);
    expect(report.findings.map((finding) => `${finding.path}:${finding.line}:${finding.rule}`)).toEqual([
      "src/inventory/models.py:1:F401",
      "src/inventory/models.py:33:SIM102",
    ]);
  });

  it("serves as its own remote task runner on Mahavishnu pools", async () => {
    const server = await startStandin();
    const root = await projectCopy(SAMPLE_PROJECT);
    await writeFile(
      path.join(root, ".crackerjack.yaml"),
      `pool_scanning:\n  mcp_server_url: "${server.url}"\n  pool:\n    worker_type: terminal-shell\n  local_tools: [ruff, codespell]\n  pooled_tools: []\n`,
    );
    const result = await run(root, [
      "scan",
      "--all",
      "--no-cache",
      "--backend",
      "mahavishnu",
      "--jobs",
      "2",
      "--format",
      "json",
      "--quiet",
    ]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(1);
    expect((JSON.parse(result.stdout) as Report).findings.map((finding) => `${finding.path}:${finding.line}:${finding.rule}`)).toEqual([
      "docs/notes.md:3:misspelling",
      "src/inventory/models.py:1:F401",
      "src/inventory/models.py:18:misspelling",
      "src/inventory/models.py:33:SIM102",
    ]);
  });

  it("is a queue worker, and scans through the queue, with BullMQ loaded from its assets", async () => {
    const redis = await startRedis();
    const queueEnv = { JACKPOOL_QUEUE_URL: redis.url, XDG_CACHE_HOME: await tempDir("jackpool-binary-cache-") };
    const worker = execa(binary, ["worker", "--slots", "1"], { env: { ...env, ...queueEnv }, extendEnv: false, reject: false, all: true });
    try {
      let log = "";
      worker.all?.on("data", (chunk: Buffer) => (log += chunk.toString()));
      const deadline = Date.now() + 60_000;
      while (!/^worker: 1 slot on /m.test(log)) {
        if (worker.exitCode !== null || Date.now() > deadline) throw new Error(`the binary's worker did not start: ${log}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const root = await projectCopy(SAMPLE_PROJECT);
      const args = ["scan", "--all", "--no-cache", "--tools", "ruff,codespell", "--format", "json", "--quiet"];
      const queued = await run(root, [...args, "--backend", "queue"], queueEnv);
      expect(queued.stderr).toBe("");
      const { report: local } = await scanJson(root, ["--all", "--no-cache", "--tools", "ruff,codespell", "--backend", "local"]);
      expect(comparableReport(JSON.parse(queued.stdout) as Report)).toBe(comparableReport(local));
      expect(log).toMatch(/^worker: ruff of scan \S+: completed, /m);
    } finally {
      worker.kill("SIGTERM");
      await worker;
      await redis.stop();
    }
  });

  it("installs a pre-commit hook that runs the binary itself and blocks a commit with findings", async () => {
    const root = await tempDir();
    await writeFile(path.join(root, ".crackerjack.yaml"), "pool_scanning:\n  enabled: false\n  local_tools: [ruff]\n  pooled_tools: []\n");
    const gitIn = (...args: string[]) =>
      execa("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], {
        cwd: root,
        env,
        extendEnv: false,
        reject: false,
      });
    await gitIn("init", "-q");
    const install = await run(root, ["install"]);
    expect(install.exitCode, install.stderr).toBe(0);
    expect(await readFile(path.join(root, ".git/hooks/pre-commit"), "utf8")).toContain(`'${binary}'`);
    await writeFile(path.join(root, "a.py"), "import os\n");
    await gitIn("add", "-A");
    const blocked = await gitIn("commit", "-qm", "unused import");
    expect(blocked.exitCode).toBe(1);
    expect(`${blocked.stdout}${blocked.stderr}`).toContain("a.py:1:8 ruff F401");
    await writeFile(path.join(root, "a.py"), "print(1)\n");
    await gitIn("add", "-A");
    expect((await gitIn("commit", "-qm", "clean")).exitCode).toBe(0);
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
