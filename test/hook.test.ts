import { createHash } from "node:crypto";
import { mkdir, readFile, readdir, realpath, rename, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { defaultPoolScanning } from "../src/config/schema.js";
import { chooseTools } from "../src/plan/choose.js";
import { BUILTIN_TOOL_NAMES } from "../src/tools/registry.js";
import { envSkips } from "../src/plan/env-skips.js";
import {
  JACKPOOL,
  REPO,
  SYSTEM_PATH,
  VENV_BIN,
  fakeTools,
  jackpool,
  scanJson,
  tempDir,
  writeFiles,
  type JackpoolOptions,
} from "./helpers.js";

// Hooks run what git finds in the config: no user or system config (a global core.hooksPath would move the hook).
// A global config that does not exist is an empty one (this machine's /dev/null is not always empty).
const HERMETIC = { GIT_CONFIG_GLOBAL: "/nonexistent/jackpool-test/gitconfig", GIT_CONFIG_NOSYSTEM: "1", NO_COLOR: "1" };
const WITH_TOOLS = { ...HERMETIC, PATH: [VENV_BIN, SYSTEM_PATH].join(path.delimiter) };
const RUFF_ONLY = "pool_scanning:\n  pooled_tools: []\n  local_tools: [ruff]\n";
const UNUSED_IMPORT = "import os\n";
const CLEAN = "VALUE = 1\n";

interface GitRun {
  exitCode: number | undefined;
  /** stdout and stderr together, as a user sees them. */
  output: string;
}

/** Runs git as a user would: hooks run, the pinned tools are on PATH; never throws. */
async function gitRun(cwd: string, args: string[], env: Record<string, string> = {}): Promise<GitRun> {
  const result = await execa("git", args, { cwd, reject: false, all: true, stdin: "ignore", env: { ...WITH_TOOLS, ...env } });
  return { exitCode: result.exitCode, output: result.all };
}

/** Runs git for the test's set-up; failing is a broken test. */
async function gitOk(cwd: string, ...args: string[]): Promise<string> {
  const result = await gitRun(cwd, args);
  if (result.exitCode !== 0) throw new Error(`git ${args.join(" ")} failed: ${result.output}`);
  return result.output;
}

/** A git repository with a ruff-only config and an identity, optionally with a first commit of `files`. */
async function repo(files: Record<string, string> | null = { "clean.py": CLEAN }): Promise<string> {
  const root = await realpath(await tempDir());
  await gitOk(root, "init", "-q", "-b", "main");
  await gitOk(root, "config", "user.name", "t");
  await gitOk(root, "config", "user.email", "t@example.com");
  await gitOk(root, "config", "commit.gpgsign", "false");
  await writeFiles(root, { ".crackerjack.yaml": RUFF_ONLY });
  if (files !== null) {
    await writeFiles(root, files);
    await gitOk(root, "add", "-A");
    await gitOk(root, "commit", "-qm", "initial");
  }
  return root;
}

/** `jackpool install` / `uninstall` and scans, isolated from the user's git config like the commits. */
function jackpoolIn(cwd: string, args: string[], options: JackpoolOptions = {}) {
  return jackpool(cwd, args, { ...options, env: { ...HERMETIC, ...options.env } });
}

async function commitCount(root: string): Promise<number> {
  const result = await gitRun(root, ["rev-list", "--count", "HEAD"]);
  return result.exitCode === 0 ? Number(result.output) : 0;
}

/** Stages `content` for `file`, then writes `worktree` over it in the work tree: a partially staged file. */
async function stagePartially(root: string, file: string, content: string, worktree: string): Promise<void> {
  await writeFiles(root, { [file]: content });
  await gitOk(root, "add", "--", file);
  await writeFiles(root, { [file]: worktree });
}

/** sha256 of the index and of every file of the work tree (not .git, not jackpool's own state in .crackerjack). */
async function treeDigest(root: string): Promise<Record<string, string>> {
  const digest: Record<string, string> = {};
  const hash = async (file: string) =>
    createHash("sha256")
      .update(await readFile(path.join(root, file)))
      .digest("hex");
  digest[".git/index"] = await hash(".git/index");
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    const file = path.relative(root, path.join(entry.parentPath, entry.name));
    if (entry.isFile() && !/^(\.git|\.crackerjack)(\/|$)/.test(file)) digest[file] = await hash(file);
  }
  return digest;
}

async function hookText(root: string, hook = ".git/hooks/pre-commit"): Promise<string> {
  return readFile(path.join(root, hook), "utf8");
}

describe("jackpool install / uninstall", () => {
  it("writes an executable hook marked as jackpool's; installing again changes nothing; uninstall removes it", async () => {
    const root = await repo();
    const hook = path.join(root, ".git/hooks/pre-commit");
    const install = await jackpoolIn(root, ["install"]);
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stdout).toBe(`installed jackpool pre-commit hook in ${hook}`);
    const text = await hookText(root);
    expect(text).toMatch(/^#!\/bin\/sh\n# jackpool pre-commit hook, sha256:[0-9a-f]{64}\n/);
    expect(text).toContain(`'${JACKPOOL}' 'scan' '--staged'\n`);
    expect((await stat(hook)).mode & 0o777).toBe(0o755);

    const again = await jackpoolIn(root, ["install"]);
    expect(again.stdout).toBe(`jackpool pre-commit hook already installed in ${hook}`);
    expect(await hookText(root)).toBe(text);

    expect((await jackpoolIn(root, ["uninstall"])).stdout).toBe(`removed jackpool pre-commit hook from ${hook}`);
    await expect(stat(hook)).rejects.toThrow(/ENOENT/);
    const nothing = await jackpoolIn(root, ["uninstall"]);
    expect([nothing.exitCode, nothing.stdout]).toEqual([0, `no jackpool pre-commit hook in ${path.dirname(hook)}`]);
  });

  it("chains an existing hook: it runs first, its failure blocks the commit, and uninstall puts it back byte for byte", async () => {
    const root = await repo();
    const original = '#!/bin/sh\necho "chained ran" >> "$(git rev-parse --git-dir)/chained.log"\nexit "${CHAINED_EXIT:-0}"\n';
    await writeFile(path.join(root, ".git/hooks/pre-commit"), original, { mode: 0o755 });
    const install = await jackpoolIn(root, ["install"]);
    expect(install.stdout).toBe(
      `installed jackpool pre-commit hook in ${root}/.git/hooks/pre-commit; the hook that was there is now ${root}/.git/hooks/pre-commit.jackpool-chained and runs first`,
    );
    expect(await hookText(root, ".git/hooks/pre-commit.jackpool-chained")).toBe(original);
    const chainedRuns = async () => (await readFile(path.join(root, ".git/chained.log"), "utf8")).split("\n").filter(Boolean).length;

    await writeFiles(root, { "new.py": CLEAN });
    await gitOk(root, "add", "new.py");
    const failing = await gitRun(root, ["commit", "-m", "chained hook fails"], { CHAINED_EXIT: "3" });
    expect(failing.exitCode).toBe(1);
    expect(failing.output).not.toContain("ruff"); // jackpool never started
    expect(await chainedRuns()).toBe(1);
    expect(await commitCount(root)).toBe(1);

    const passing = await gitRun(root, ["commit", "-m", "both pass"]);
    expect(passing.exitCode, passing.output).toBe(0);
    expect(passing.output).toMatch(/^ruff +passed +1 /m);
    expect(await chainedRuns()).toBe(2);

    await writeFiles(root, { "bad.py": UNUSED_IMPORT });
    await gitOk(root, "add", "bad.py");
    const blocked = await gitRun(root, ["commit", "-m", "jackpool finds something"]);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.output).toContain("bad.py:1:8 ruff F401 `os` imported but unused");
    expect(await chainedRuns()).toBe(3);
    expect(await commitCount(root)).toBe(2);

    expect((await jackpoolIn(root, ["install"])).stdout).toMatch(/^jackpool pre-commit hook already installed in /);
    expect((await jackpoolIn(root, ["uninstall"])).stdout).toBe(
      `removed jackpool pre-commit hook; the hook it chained is back at ${root}/.git/hooks/pre-commit`,
    );
    expect(await hookText(root)).toBe(original);
    expect((await stat(path.join(root, ".git/hooks/pre-commit"))).mode & 0o777).toBe(0o755);
    await expect(stat(path.join(root, ".git/hooks/pre-commit.jackpool-chained"))).rejects.toThrow(/ENOENT/);

    // Someone deleted jackpool's hook by hand: uninstall still puts the chained one back.
    await rename(path.join(root, ".git/hooks/pre-commit"), path.join(root, ".git/hooks/pre-commit.jackpool-chained"));
    expect((await jackpoolIn(root, ["uninstall"])).stdout).toBe(
      `no jackpool pre-commit hook in ${root}/.git/hooks; moved ${root}/.git/hooks/pre-commit.jackpool-chained back to ${root}/.git/hooks/pre-commit`,
    );
    expect(await hookText(root)).toBe(original);
  });

  it("core.hooksPath, relative (installed from a subdirectory) or absolute: the hook goes where git runs it", async () => {
    const root = await repo({ "clean.py": CLEAN, "pkg/mod.py": CLEAN });
    await gitOk(root, "config", "core.hooksPath", ".githooks");
    const relative = await jackpoolIn(path.join(root, "pkg"), ["install"]);
    expect(relative.stdout).toBe(`installed jackpool pre-commit hook in ${root}/.githooks/pre-commit`);
    await writeFiles(root, { "bad.py": UNUSED_IMPORT });
    await gitOk(root, "add", "bad.py");
    expect((await gitRun(root, ["commit", "-m", "x"])).output).toContain("bad.py:1:8 ruff F401");

    const elsewhere = path.join(await realpath(await tempDir()), "hooks");
    await gitOk(root, "config", "core.hooksPath", elsewhere);
    expect((await jackpoolIn(root, ["install"])).stdout).toBe(`installed jackpool pre-commit hook in ${elsewhere}/pre-commit`);
    const blocked = await gitRun(root, ["commit", "-m", "x"]);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.output).toContain("bad.py:1:8 ruff F401");
    expect(await commitCount(root)).toBe(1);
  });

  it("a linked worktree uses the hooks of the main repository, and its own index", async () => {
    const root = await repo();
    const linked = path.join(await realpath(await tempDir()), "linked");
    await gitOk(root, "worktree", "add", "-q", "-b", "side", linked);
    expect((await jackpoolIn(linked, ["install"])).stdout).toBe(`installed jackpool pre-commit hook in ${root}/.git/hooks/pre-commit`);
    await stagePartially(linked, "side.py", UNUSED_IMPORT, CLEAN);
    const blocked = await gitRun(linked, ["commit", "-m", "x"]);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.output).toContain("side.py:1:8 ruff F401");
  });

  it("refuses, in one line, what it must not overwrite or cannot reach", async () => {
    const root = await repo();
    const hook = path.join(root, ".git/hooks/pre-commit");
    const chained = `${hook}.jackpool-chained`;
    await jackpoolIn(root, ["install"]);
    await writeFile(hook, `${await hookText(root)}echo edited\n`);
    const edited = await jackpoolIn(root, ["install"]);
    expect([edited.exitCode, edited.stderr]).toEqual([
      2,
      `jackpool: install: ${hook} is jackpool's hook edited since it was installed; undo the edits or delete it, then run jackpool install again`,
    ]);
    expect((await jackpoolIn(root, ["uninstall"])).stderr).toBe(
      `jackpool: uninstall: ${hook} is jackpool's hook edited since it was installed; left as it is (delete it by hand if you no longer want it)`,
    );
    expect(await hookText(root)).toMatch(/echo edited\n$/);

    await writeFile(hook, "#!/bin/sh\nexit 0\n");
    await writeFile(chained, "#!/bin/sh\nexit 1\n");
    const occupied = await jackpoolIn(root, ["install"]);
    expect([occupied.exitCode, occupied.stderr]).toEqual([
      2,
      `jackpool: install: ${hook} is not jackpool's and ${chained} already exists, so it cannot be moved aside; remove one of them`,
    ]);
    expect([await hookText(root), await hookText(root, ".git/hooks/pre-commit.jackpool-chained")]).toEqual([
      "#!/bin/sh\nexit 0\n",
      "#!/bin/sh\nexit 1\n",
    ]);
    const foreign = await jackpoolIn(root, ["uninstall"]);
    expect([foreign.exitCode, foreign.stderr]).toEqual([2, `jackpool: uninstall: ${hook} is not jackpool's hook; left as it is`]);

    const notGit = await realpath(await tempDir());
    expect((await jackpoolIn(notGit, ["install"])).stderr).toBe(`jackpool: install: ${notGit} is not in a git work tree`);

    const file = path.join(notGit, "a-file");
    await writeFile(file, "");
    await gitOk(root, "config", "core.hooksPath", file);
    const unusable = await jackpoolIn(root, ["install"]);
    expect([unusable.exitCode, unusable.stderr]).toEqual([
      2,
      `jackpool: install: cannot change the hooks directory ${file}: ENOTDIR: not a directory`,
    ]);
  });

  it("quotes jackpool's own path: a location with spaces and a quote still runs", async () => {
    const root = await repo();
    const odd = path.join(await realpath(await tempDir()), "it's a dir");
    await mkdir(odd);
    await symlink(JACKPOOL, path.join(odd, "jackpool.js"));
    const install = await execa("node", [path.join(odd, "jackpool.js"), "install"], { cwd: root, env: HERMETIC, reject: false });
    expect(install.exitCode, install.stderr).toBe(0);
    expect(await hookText(root)).toContain(`'${odd.replace("'", "'\\''")}/jackpool.js' 'scan' '--staged'`);
    await writeFiles(root, { "bad.py": UNUSED_IMPORT });
    await gitOk(root, "add", "bad.py");
    expect((await gitRun(root, ["commit", "-m", "x"])).output).toContain("bad.py:1:8 ruff F401");
    await rm(path.join(odd, "jackpool.js"));
    const gone = await gitRun(root, ["commit", "-m", "x"]);
    expect([gone.exitCode, gone.output]).toEqual([
      1,
      `jackpool pre-commit hook: ${odd}/jackpool.js is gone; run jackpool install again (or commit with --no-verify)`,
    ]);
    // Installed again from elsewhere: jackpool's own hook, so it is rewritten to run this jackpool.
    expect((await jackpoolIn(root, ["install"])).stdout).toBe(`updated jackpool pre-commit hook in ${root}/.git/hooks/pre-commit`);
    expect(await hookText(root)).toContain(`'${JACKPOOL}' 'scan' '--staged'`);
  });
});

describe("the installed hook checks what is being committed", () => {
  it("blocks a commit whose staged bytes have a finding though the work tree is fixed, and changes no byte of index or work tree", async () => {
    const root = await repo();
    await jackpoolIn(root, ["install"]);
    await stagePartially(root, "clean.py", UNUSED_IMPORT, CLEAN);
    // git commit itself adds the cache-tree to the index on its first run; have it there already, so any
    // change left behind is the hook's.
    await gitOk(root, "write-tree");
    const before = await treeDigest(root);
    const blocked = await gitRun(root, ["commit", "-m", "x"]);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.output).toContain("clean.py:1:8 ruff F401 `os` imported but unused");
    expect(await commitCount(root)).toBe(1);
    expect(await treeDigest(root)).toEqual(before);
    expect(await gitOk(root, "status", "--porcelain")).toBe("MM clean.py");
  });

  it("lets through a commit whose staged bytes are clean though the work tree has a finding", async () => {
    const root = await repo();
    await jackpoolIn(root, ["install"]);
    await stagePartially(root, "clean.py", "VALUE = 2\n", UNUSED_IMPORT);
    const passed = await gitRun(root, ["commit", "-m", "x"]);
    expect(passed.exitCode, passed.output).toBe(0);
    expect(await commitCount(root)).toBe(2);
    expect(await gitOk(root, "show", "HEAD:clean.py")).toBe("VALUE = 2");
    expect(await readFile(path.join(root, "clean.py"), "utf8")).toBe(UNUSED_IMPORT);
  });

  it("renames are checked under their new name, deletions are not checked, names may have spaces", async () => {
    const root = await repo({ "bad.py": UNUSED_IMPORT, "clean.py": CLEAN });
    await jackpoolIn(root, ["install"]);
    await gitOk(root, "mv", "bad.py", "moved bad.py");
    const renamed = await gitRun(root, ["commit", "-m", "rename"]);
    expect(renamed.exitCode).toBe(1);
    expect(renamed.output).toContain("moved bad.py:1:8 ruff F401");
    await gitOk(root, "mv", "moved bad.py", "bad.py");

    await gitOk(root, "rm", "-q", "bad.py");
    await gitOk(root, "mv", "clean.py", "clean copy.py");
    const passed = await gitRun(root, ["commit", "-m", "delete and rename"]);
    expect(passed.exitCode, passed.output).toBe(0);
    expect(await gitOk(root, "show", "--name-status", "--format=", "HEAD")).toBe("D\tbad.py\nR100\tclean.py\tclean copy.py");
  });

  it("guards the first commit of a repository (no HEAD yet)", async () => {
    const root = await repo(null);
    await jackpoolIn(root, ["install"]);
    await writeFiles(root, { "first.py": UNUSED_IMPORT });
    await gitOk(root, "add", "-A");
    const blocked = await gitRun(root, ["commit", "-m", "first"]);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.output).toContain("first.py:1:8 ruff F401");
    expect(await commitCount(root)).toBe(0);
    await writeFiles(root, { "first.py": CLEAN });
    await gitOk(root, "add", "first.py");
    expect((await gitRun(root, ["commit", "-m", "first"])).exitCode).toBe(0);
    expect(await commitCount(root)).toBe(1);
  });

  it("checks the result of a merge that stopped on a conflict when `git commit` concludes it", async () => {
    const root = await repo({ "shared.py": "VALUE = 1\n" });
    await gitOk(root, "checkout", "-q", "-b", "feature");
    await writeFiles(root, { "shared.py": "VALUE = 2\n" });
    await gitOk(root, "commit", "-qam", "feature");
    await gitOk(root, "checkout", "-q", "main");
    await writeFiles(root, { "shared.py": "VALUE = 3\n" });
    await gitOk(root, "commit", "-qam", "main");
    await jackpoolIn(root, ["install"]);
    expect((await gitRun(root, ["merge", "--no-ff", "feature"])).exitCode).toBe(1); // the conflict

    await writeFiles(root, { "shared.py": `${UNUSED_IMPORT}VALUE = 2\n` });
    await gitOk(root, "add", "shared.py");
    const blocked = await gitRun(root, ["commit", "--no-edit"]);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.output).toContain("shared.py:1:8 ruff F401");
    expect(await gitOk(root, "rev-parse", "--verify", "-q", "MERGE_HEAD")).toMatch(/^[0-9a-f]{40}$/);

    await writeFiles(root, { "shared.py": "VALUE = 2\n" });
    await gitOk(root, "add", "shared.py");
    expect((await gitRun(root, ["commit", "--no-edit"])).exitCode).toBe(0);
    expect((await gitOk(root, "rev-list", "--parents", "-n1", "HEAD")).split(" ")).toHaveLength(3);
  });

  it("runs jackpool in the project when the project is a subdirectory, also when committing from there", async () => {
    const root = await repo(null);
    await writeFiles(root, { "app/.crackerjack.yaml": RUFF_ONLY, "app/ok.py": CLEAN, "outside.py": UNUSED_IMPORT });
    await gitOk(root, "add", "-A");
    await gitOk(root, "commit", "-qm", "initial");
    const app = path.join(root, "app");
    expect((await jackpoolIn(app, ["install"])).exitCode).toBe(0);
    expect(await hookText(root)).toContain("cd -- 'app' || exit 2\n");
    // Committing from app/, git names the index relative to the top (GIT_INDEX_FILE=.git/index).
    await stagePartially(root, "app/ok.py", UNUSED_IMPORT, CLEAN);
    await writeFiles(root, { "outside.py": "import sys\n" });
    await gitOk(root, "add", "outside.py");
    const blocked = await gitRun(app, ["commit", "-m", "x"]);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.output).toContain("ok.py:1:8 ruff F401");
    expect(blocked.output).not.toContain("outside.py");
    await gitOk(root, "add", "app/ok.py");
    expect((await gitRun(app, ["commit", "-m", "x"])).exitCode).toBe(0);
  });
});

describe("SKIP and JACKPOOL_SKIP", () => {
  it("read tool names: SKIP ignores names that are not jackpool's tools, JACKPOOL_SKIP rejects them", () => {
    const config = defaultPoolScanning();
    const skips = envSkips({ SKIP: "black, ruff ,,flake8", JACKPOOL_SKIP: "codespell" });
    expect(skips.wholeScan).toBe(false);
    expect([...chooseTools(config, { skips }).skipped]).toEqual([
      ["ruff", "skipped by SKIP"],
      ["codespell", "skipped by JACKPOOL_SKIP"],
    ]);
    expect(envSkips({ SKIP: "mypy-local,jackpool" }).wholeScan).toBe(true);
    expect(chooseTools(config, { skips: envSkips({}) }).skipped.size).toBe(0);
    expect(() => chooseTools(config, { skips: envSkips({ JACKPOOL_SKIP: "ruff,rufff" }) })).toThrow(
      `JACKPOOL_SKIP: unknown tool "rufff" (known tools: ${BUILTIN_TOOL_NAMES.join(", ")})`,
    );
  });

  it("leave tools out of the scan as skipped, or skip it whole with SKIP=jackpool", async () => {
    const root = await repo();
    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  pooled_tools: []\n  local_tools: [ruff, codespell]\n" });
    await stagePartially(root, "bad.py", "import os  # teh\n", CLEAN);

    const skipped = await scanJson(root, ["--staged"], { env: { ...HERMETIC, SKIP: "black,ruff" } });
    expect(skipped.run.exitCode).toBe(1);
    expect(skipped.report.tools.map((tool) => [tool.tool, tool.status, tool.notes])).toEqual([
      ["ruff", "skipped", ["skipped by SKIP"]],
      ["codespell", "findings", []],
    ]);
    expect(skipped.report.findings.map((finding) => `${finding.path}:${finding.line}:${finding.rule}`)).toEqual(["bad.py:1:misspelling"]);

    await jackpoolIn(root, ["install"]);
    const both = await gitRun(root, ["commit", "-m", "x"], { SKIP: "black", JACKPOOL_SKIP: "codespell,ruff" });
    expect(both.exitCode, both.output).toBe(0);
    expect(both.output).toMatch(/^codespell +skipped +0 /m);

    await stagePartially(root, "bad2.py", UNUSED_IMPORT, CLEAN);
    const whole = await gitRun(root, ["commit", "-m", "y"], { SKIP: "jackpool" });
    expect(whole.exitCode).toBe(0);
    expect(whole.output).toMatch(/^jackpool: scan skipped \(SKIP=jackpool\)$/m);
    expect(await commitCount(root)).toBe(3);

    await stagePartially(root, "bad3.py", UNUSED_IMPORT, CLEAN);
    const typo = await gitRun(root, ["commit", "-m", "z"], { JACKPOOL_SKIP: "rufff" });
    expect(typo.exitCode).toBe(1);
    expect(typo.output).toContain(`jackpool: JACKPOOL_SKIP: unknown tool "rufff" (known tools: ${BUILTIN_TOOL_NAMES.join(", ")})`);
    expect(await commitCount(root)).toBe(3);
  });
});

describe(".pre-commit-hooks.yaml", () => {
  it("runs jackpool under pre-commit: staged bytes at commit time, every file with --all-files, odd names as files", async () => {
    // A hooks repository holding only the manifest: with `language: system` pre-commit needs nothing else.
    const hooksRepo = await realpath(await tempDir());
    await writeFile(path.join(hooksRepo, ".pre-commit-hooks.yaml"), await readFile(path.join(REPO, ".pre-commit-hooks.yaml")));
    await gitOk(hooksRepo, "init", "-q");
    await gitOk(hooksRepo, "add", "-A");
    await gitOk(hooksRepo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "manifest");
    const rev = await gitOk(hooksRepo, "rev-parse", "HEAD");
    const root = await repo({
      "clean.py": CLEAN,
      ".pre-commit-config.yaml": `repos:\n  - repo: ${hooksRepo}\n    rev: ${rev}\n    hooks:\n      - id: jackpool\n`,
    });
    // `language: system`: jackpool is whatever `jackpool` on PATH is.
    const shim = await fakeTools({ jackpool: `exec node '${JACKPOOL}' "$@"` });
    const env = { PATH: [shim, VENV_BIN, SYSTEM_PATH].join(path.delimiter), PRE_COMMIT_HOME: await tempDir() };
    const preCommit = (...args: string[]) =>
      execa(path.join(VENV_BIN, "pre-commit"), args, { cwd: root, env: { ...HERMETIC, ...env }, reject: false, all: true });
    const install = await preCommit("install");
    expect(install.exitCode, install.all).toBe(0);

    await stagePartially(root, "--all.py", UNUSED_IMPORT, CLEAN);
    const blocked = await gitRun(root, ["commit", "-m", "x"], env);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.output).toMatch(/^jackpool\.+Failed$/m);
    expect(blocked.output).toContain("--all.py:1:8 ruff F401");
    expect(await readFile(path.join(root, "--all.py"), "utf8")).toBe(CLEAN); // pre-commit put the unstaged fix back
    await gitOk(root, "add", "--", "--all.py");
    expect((await gitRun(root, ["commit", "-m", "x"], env)).exitCode).toBe(0);

    await writeFiles(root, { "old.py": UNUSED_IMPORT });
    await gitOk(root, "add", "old.py");
    await gitOk(root, "commit", "--no-verify", "-qm", "slipped through");
    const all = await preCommit("run", "--all-files");
    expect(all.exitCode).toBe(1);
    expect(all.all).toContain("old.py:1:8 ruff F401");
  });
});
