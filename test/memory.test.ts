import { appendFile, copyFile, mkdir, readFile, readdir, realpath, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import {
  OLDER_RUFF_BIN,
  SAMPLE_PROJECT,
  VENV_BIN,
  brief,
  cachedMatchesUncached,
  explained,
  fakeTools,
  git,
  gitRepo,
  jackpool,
  missReason,
  projectCopy,
  scanJson,
  tempDir,
  writeFiles,
} from "./helpers.js";
import { startRedis } from "./redis-server.js";

describe("memory cache", () => {
  it("a warm scan replays every result and reports exactly what an uncached scan reports", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const cold = await scanJson(root, ["--all"]);
    expect(cold.report.summary.fromMemory).toBe(0);
    expect(cold.report.summary.tasks).toBe(10);
    const warm = await cachedMatchesUncached(root);
    expect(warm.run.exitCode).toBe(1);
    expect(warm.report.summary.tasks).toBe(0);
    // ruff, refurb, complexipy, semgrep: 4 files each; codespell and gitleaks 10; check-jsonschema 1 (its one
    // configured file); vulture, mypy and skylos one whole-project result each.
    expect(warm.report.summary.fromMemory).toBe(4 * 4 + 10 * 2 + 1 + 3);
    expect(warm.report.summary.savedMs).toBeGreaterThan(0);
    expect(warm.report.findings).toHaveLength(18);
    const text = await jackpool(root, ["scan", "--all", "--quiet"]);
    expect(text.stdout).toMatch(/; 40 results from memory saved \d+\.\ds of tool time$/m);
  });

  it("editing one file re-runs that file for own-file tools, its importers for refurb, and vulture", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await scanJson(root, ["--all"]);
    await appendFile(path.join(root, "src/inventory/legacy.py"), "\n\ndef extra(values):\n    return [v for v in values]\n");
    const { run } = await cachedMatchesUncached(root);
    expect(explained(run.stderr, "miss", "ruff")).toEqual(["src/inventory/legacy.py"]);
    expect(explained(run.stderr, "hit", "ruff")).toEqual([
      "src/inventory/__init__.py",
      "src/inventory/models.py",
      "src/inventory/report.py",
    ]);
    // Nothing imports legacy.py: refurb re-checks it alone.
    expect(explained(run.stderr, "miss", "refurb")).toEqual(["src/inventory/legacy.py"]);
    expect(explained(run.stderr, "miss", "vulture")).toEqual(["(whole"]);
    expect(explained(run.stderr, "hit", "codespell")).toHaveLength(9);
    expect(missReason(run.stderr, "ruff", "src/inventory/legacy.py")).toBe("file changed");
    expect(missReason(run.stderr, "vulture", "whole project")).toBe("files changed: src/inventory/legacy.py");
  });

  it("editing a tool's config file re-runs that tool", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    // gitleaks reads no settings from pyproject.toml: only that file, whose bytes changed, is checked again.
    const tools = ["--all", "--tools", "ruff,gitleaks"];
    await scanJson(root, tools);
    await appendFile(path.join(root, "pyproject.toml"), '\n[tool.ruff.lint]\nextend-select = ["E711"]\n');
    const { run, report } = await cachedMatchesUncached(root, tools);
    expect(explained(run.stderr, "miss", "ruff")).toHaveLength(4);
    expect(explained(run.stderr, "miss", "gitleaks")).toEqual(["pyproject.toml"]);
    expect(missReason(run.stderr, "ruff", "src/inventory/models.py")).toBe("config changed: pyproject.toml");
    expect(report.findings.some((finding) => finding.rule === "E711" && finding.path === "src/inventory/report.py")).toBe(true);
  });

  it("another tool version misses, and both versions' results stay in memory", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const ruff = ["--all", "--tools", "ruff"];
    await scanJson(root, ruff);
    // A real second pinned ruff (test/requirements-older-ruff.txt), first on PATH: a downgrade, then back.
    const older = { pathDirs: [OLDER_RUFF_BIN] };
    const downgraded = await cachedMatchesUncached(root, ruff, older);
    expect(explained(downgraded.run.stderr, "miss", "ruff")).toHaveLength(4);
    expect(downgraded.report.tools[0]?.version).toBe("0.17.4");
    expect(missReason(downgraded.run.stderr, "ruff", "src/inventory/models.py")).toBe("tool version 0.17.6 → 0.17.4");
    const again = await scanJson(root, [...ruff, "--explain"], older);
    expect(explained(again.run.stderr, "hit", "ruff")).toHaveLength(4);
    const back = await scanJson(root, [...ruff, "--explain"]);
    expect(explained(back.run.stderr, "hit", "ruff")).toHaveLength(4);
    expect(back.report.tools[0]?.version).toBe("0.17.6");
  });

  it("a package installed where refurb runs re-runs refurb (mypy reads installed packages), not the other tools", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    // A virtualenv of its own for refurb, which reaches the pinned tools through a .pth file: its installed
    // distributions can change without touching the real one.
    const venv = await tempDir("jackpool-venv-");
    const python = (await readdir(path.join(VENV_BIN, "..", "lib")))[0]!;
    const sitePackages = path.join(venv, "lib", python, "site-packages");
    await mkdir(sitePackages, { recursive: true });
    await mkdir(path.join(venv, "bin"));
    await copyFile(path.join(VENV_BIN, "..", "pyvenv.cfg"), path.join(venv, "pyvenv.cfg"));
    await symlink(await realpath(path.join(VENV_BIN, "python")), path.join(venv, "bin", "python"));
    await writeFile(path.join(sitePackages, "pinned-tools.pth"), `${path.join(VENV_BIN, "..", "lib", python, "site-packages")}\n`);
    const script = (await readFile(path.join(VENV_BIN, "refurb"), "utf8")).replace(/^#!.*\n/, `#!${path.join(venv, "bin", "python")}\n`);
    await writeFile(path.join(venv, "bin", "refurb"), script, { mode: 0o755 });
    const tools = ["--all", "--tools", "refurb,ruff"];
    const options = { pathDirs: [path.join(venv, "bin")] };
    await scanJson(root, tools, options);
    expect(explained((await scanJson(root, [...tools, "--explain"], options)).run.stderr, "hit", "refurb")).toHaveLength(4);
    await mkdir(path.join(sitePackages, "types_inventory-1.0.dist-info"));
    const { run, report } = await cachedMatchesUncached(root, tools, options);
    expect(explained(run.stderr, "miss", "refurb")).toHaveLength(4);
    expect(missReason(run.stderr, "refurb", "src/inventory/models.py")).toBe("installed packages changed");
    expect(explained(run.stderr, "hit", "ruff")).toHaveLength(4);
    expect(brief(report, "refurb")).toEqual(["src/inventory/legacy.py:3:FURB138", "src/inventory/models.py:12:FURB101"]);
  });

  it("switching branches back and forth costs nothing", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await git(root, "checkout", "-q", "-b", "feature");
    await writeFile(path.join(root, "src/inventory/legacy.py"), "import sys\n");
    await git(root, "commit", "-qam", "feature");
    // Per file (ruff), per file and imports (refurb), whole project (vulture).
    const tools = ["--all", "--tools", "ruff,refurb,vulture"];
    await scanJson(root, tools);
    await git(root, "checkout", "-q", "main");
    await scanJson(root, tools);
    await git(root, "checkout", "-q", "feature");
    const back = await cachedMatchesUncached(root, tools);
    expect(back.report.summary.tasks).toBe(0);
    expect(back.report.findings.some((finding) => finding.rule === "F401" && finding.path === "src/inventory/legacy.py")).toBe(true);
  });

  it("deleting the last caller in another file makes a function dead, cached or not", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const tools = ["--all", "--tools", "vulture,skylos"];
    await scanJson(root, tools);
    await writeFile(path.join(root, "src/inventory/report.py"), "def print_report(path):\n    print(path)\n");
    const { report } = await cachedMatchesUncached(root, tools);
    const dead = report.findings.filter((finding) => finding.tool === "vulture").map((finding) => `${finding.path}:${finding.line}`);
    expect(dead).toContain("src/inventory/models.py:11"); // load_items has lost its caller
  });

  it("a file edited while its tool runs is not cached with the old result", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    // codespell that appends to the file it checked, as an editor saving mid-scan would.
    const editing = await fakeTools({
      codespell: `if [ "$1" = "--version" ]; then echo 2.4.3; exit 0; fi\n'${path.join(VENV_BIN, "codespell")}' "$@"; status=$?\necho "# edited" >> docs/notes.md\nexit $status`,
    });
    await scanJson(root, ["--all", "--tools", "codespell"], { pathDirs: [editing] });
    const again = await scanJson(root, ["--all", "--tools", "codespell", "--explain"]);
    expect(explained(again.run.stderr, "miss", "codespell")).toEqual(["docs/notes.md"]);
    expect(missReason(again.run.stderr, "codespell", "docs/notes.md")).toBe("no earlier result on record for this file and tool");
    expect(explained(again.run.stderr, "hit", "codespell")).toHaveLength(9);
  });

  it("--refresh re-runs everything; --no-cache and memory.enabled: false neither read nor write", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    // ruff's 4 files, codespell's 10 and vulture's whole project: 15 results.
    const tools = ["--all", "--tools", "ruff,codespell,vulture"];
    await scanJson(root, [...tools, "--no-cache"]);
    expect((await scanJson(root, tools)).report.summary.fromMemory).toBe(0);
    const refreshed = await scanJson(root, [...tools, "--refresh", "--explain"]);
    expect(refreshed.report.summary.fromMemory).toBe(0);
    expect(missReason(refreshed.run.stderr, "ruff", "src/inventory/models.py")).toBe("--refresh");
    expect((await scanJson(root, tools)).report.summary.fromMemory).toBe(15);
    const config = await readFile(path.join(root, ".crackerjack.yaml"), "utf8");
    await writeFiles(root, { ".crackerjack.yaml": config.replace("pool_scanning:\n", "pool_scanning:\n  memory:\n    enabled: false\n") });
    expect((await scanJson(root, tools)).report.summary.fromMemory).toBe(0);
  });

  it("the file store lives in .crackerjack/cache with a CACHEDIR.TAG, and cache stats/clear/gc work", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await scanJson(root, ["--all"]);
    expect(await readFile(path.join(root, ".crackerjack/cache/CACHEDIR.TAG"), "utf8")).toMatch(
      /^Signature: 8a477f597d28d172789f06886806bc55/,
    );
    expect(await git(root, "status", "--porcelain")).toBe("");
    const stats = await jackpool(root, ["cache", "stats"]);
    expect(stats.exitCode).toBe(0);
    // 40 results, and a manifest of each of the 6 per-file tools' runs (memory/recall.ts).
    expect(stats.stdout).toMatch(/^entries: 46$/m);
    expect((await jackpool(root, ["cache", "gc"])).stdout).toMatch(/^removed 0 expired entries$/m);
    expect((await jackpool(root, ["cache", "clear"])).exitCode).toBe(0);
    expect((await jackpool(root, ["cache", "stats"])).stdout).toMatch(/^entries: 0$/m);
    const cleared = await scanJson(root, ["--all", "--tools", "ruff", "--explain"]);
    expect(missReason(cleared.run.stderr, "ruff", "src/inventory/models.py")).toBe(
      "same inputs as the last stored result, which memory no longer holds: expired or cleared",
    );
    await rm(path.join(root, ".crackerjack"), { recursive: true });
  });
});

describe("--staged", () => {
  it("scans the staged bytes of a partially staged file, not the work tree", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const file = path.join(root, "src/inventory/legacy.py");
    await writeFile(file, "import os\n");
    await git(root, "add", "src/inventory/legacy.py");
    // The work tree fixes the problem, but that fix is not staged.
    await writeFile(file, "VALUE = 1\n");
    const { report, run } = await scanJson(root, ["--staged", "--tools", "ruff"]);
    expect(run.exitCode).toBe(1);
    expect(report.findings.map((finding) => `${finding.path}:${finding.line}:${finding.rule}`)).toEqual(["src/inventory/legacy.py:1:F401"]);
    expect(await readFile(file, "utf8")).toBe("VALUE = 1\n");
    expect(await git(root, "status", "--porcelain")).toBe("MM src/inventory/legacy.py");
  });
});

describe("a plain `jackpool scan`", () => {
  it("covers what changed since the last scan that passed, committed or not", async () => {
    const { tempDir } = await import("./helpers.js");
    const root = await tempDir();
    await writeFiles(root, { "clean.py": "VALUE = 1\nprint(VALUE)\n" });
    await git(root, "init", "-q");
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "clean");
    const first = await scanJson(root, ["--tools", "ruff"]);
    expect(first.run.exitCode).toBe(0);
    await writeFiles(root, { "added.py": "import os\n" });
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "adds a problem");
    await writeFiles(root, { "wip.py": "import sys\n" });
    // HEAD-relative selection would see only wip.py; since the last pass it is added.py and wip.py.
    const second = await scanJson(root, ["--tools", "ruff"]);
    expect(second.report.summary.files).toBe(2);
    expect(second.report.findings.map((finding) => `${finding.path}:${finding.rule}`)).toEqual(["added.py:F401", "wip.py:F401"]);
    // A failing scan does not move the marker.
    expect((await scanJson(root, ["--tools", "ruff"])).report.summary.files).toBe(2);
  });
});

describe("refurb's results depend on what a file imports", () => {
  it("editing a module re-runs refurb on the files that import it, directly or not, and reports as uncached", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await scanJson(root, ["--all", "--tools", "refurb"]);
    // report.py imports models.py; __init__.py and legacy.py do not.
    await appendFile(
      path.join(root, "src/inventory/models.py"),
      "\n\ndef total(items):\n    return sum(item.quantity for item in items)\n",
    );
    const { run } = await cachedMatchesUncached(root, ["--all", "--tools", "refurb"]);
    expect(explained(run.stderr, "miss", "refurb")).toEqual(["src/inventory/models.py", "src/inventory/report.py"]);
    expect(explained(run.stderr, "hit", "refurb")).toEqual(["src/inventory/__init__.py", "src/inventory/legacy.py"]);
    expect(missReason(run.stderr, "refurb", "src/inventory/report.py")).toBe("imported files changed: src/inventory/models.py");
    expect(missReason(run.stderr, "refurb", "src/inventory/models.py")).toBe("file changed");
  });

  it("--explain names the changed import even after a scan of that module alone stored its new result", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    await scanJson(root, ["--all", "--tools", "refurb"]);
    await appendFile(
      path.join(root, "src/inventory/models.py"),
      "\n\ndef total(items):\n    return sum(item.quantity for item in items)\n",
    );
    // Only models.py runs: report.py's logged result stays the one keyed on the old models.py.
    const alone = await scanJson(root, ["--tools", "refurb", "src/inventory/models.py"]);
    expect(alone.report.summary.files).toBe(1);
    const { run } = await scanJson(root, ["--all", "--tools", "refurb", "--explain"]);
    expect(explained(run.stderr, "miss", "refurb")).toEqual(["src/inventory/report.py"]);
    expect(missReason(run.stderr, "refurb", "src/inventory/report.py")).toBe("imported files changed: src/inventory/models.py");
    // Every logged result is keyed on the current graph again: the log keeps one version of models.py.
    const log = JSON.parse(await readFile(path.join(root, ".crackerjack/keys-refurb.json"), "utf8")) as {
      imports: { files: Record<string, unknown[]> };
    };
    expect(log.imports.files["src/inventory/models.py"]).toHaveLength(1);
  });

  it("a module edited while refurb runs leaves no result cached for any file that imports it", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    const marks = await tempDir();
    // refurb that edits models.py once after checking, as an editor saving mid-scan would.
    const editing = await fakeTools({
      refurb: [
        `'${path.join(VENV_BIN, "refurb")}' "$@"; status=$?`,
        `if [ "$1" != "--version" ] && [ ! -e '${marks}/edited' ]; then touch '${marks}/edited'; echo "# edited" >> src/inventory/models.py; fi`,
        "exit $status",
      ].join("\n"),
    });
    const tools = ["--all", "--tools", "refurb"];
    await scanJson(root, tools, { pathDirs: [editing] });
    const { run } = await scanJson(root, [...tools, "--explain"], { pathDirs: [editing] });
    expect(explained(run.stderr, "miss", "refurb")).toEqual(["src/inventory/models.py", "src/inventory/report.py"]);
    expect(explained(run.stderr, "hit", "refurb")).toEqual(["src/inventory/__init__.py", "src/inventory/legacy.py"]);
    expect(missReason(run.stderr, "refurb", "src/inventory/report.py")).toBe("no earlier result on record for this file and tool");
  });

  it("in a 200-module import cycle the key log stays linear, and an edit misses exactly the files that reach it", async () => {
    const modules = Array.from({ length: 200 }, (_, index) => `pkg/m${index}.py`);
    const files: Record<string, string> = {
      ".crackerjack.yaml": "pool_scanning:\n  enabled: false\n",
      // The package imports every module and every module imports the package, as in networkx.
      "pkg/__init__.py": `from pkg import ${modules.map((module) => path.basename(module, ".py")).join(", ")}\n`,
      // Imports the package; nothing imports it.
      "leaf.py":
        "import pkg\n\n\ndef names(items: list[str]) -> list[str]:\n    found = []\n    for item in items:\n        found.append(item)\n    return found\n",
    };
    modules.forEach((module, index) => (files[module] = `import pkg\n\n\ndef value_${index}() -> int:\n    return ${index}\n`));
    const python = Object.keys(files).filter((file) => file.endsWith(".py"));
    const root = await gitRepo(files);
    const tools = ["--all", "--tools", "refurb"];
    const cold = await scanJson(root, tools);
    expect(brief(cold.report, "refurb")).toEqual(["leaf.py:5:FURB138"]);
    const logSize = async () => (await stat(path.join(root, ".crackerjack/keys-refurb.json"))).size;
    // Under 500 bytes a file. A table of every file's whole closure would be 202 × 202 paths and hashes: 1.4 MB.
    const coldSize = await logSize();
    expect(coldSize).toBeLessThan(python.length * 500);

    await appendFile(path.join(root, "pkg/m7.py"), "\n\ndef extra() -> int:\n    return 7\n");
    const cycleEdit = await scanJson(root, [...tools, "--explain"]);
    expect(explained(cycleEdit.run.stderr, "miss", "refurb")).toEqual([...python].sort());
    expect(missReason(cycleEdit.run.stderr, "refurb", "pkg/m7.py")).toBe("file changed");
    expect(missReason(cycleEdit.run.stderr, "refurb", "pkg/m3.py")).toBe("imported files changed: pkg/m7.py");
    expect(missReason(cycleEdit.run.stderr, "refurb", "leaf.py")).toBe("imported files changed: pkg/m7.py");
    // The log holds the new generation only: the old one is no longer any stored result's.
    expect(Math.abs((await logSize()) - coldSize)).toBeLessThan(100);

    await appendFile(path.join(root, "leaf.py"), "\n\nLIMIT = 3\n");
    const leafEdit = await scanJson(root, [...tools, "--explain"]);
    expect(explained(leafEdit.run.stderr, "miss", "refurb")).toEqual(["leaf.py"]);
    expect(explained(leafEdit.run.stderr, "hit", "refurb")).toHaveLength(201);
    expect(missReason(leafEdit.run.stderr, "refurb", "leaf.py")).toBe("file changed");
    expect(brief(leafEdit.report, "refurb")).toEqual(["leaf.py:5:FURB138"]);
  });
});

describe("memory in a shared store", () => {
  it("a redis:// store serves a second scan, and nothing is written under .crackerjack/cache", async () => {
    const redis = await startRedis();
    try {
      const root = await projectCopy(SAMPLE_PROJECT);
      const config = await readFile(path.join(root, ".crackerjack.yaml"), "utf8");
      await writeFiles(root, {
        ".crackerjack.yaml": config.replace("pool_scanning:\n", `pool_scanning:\n  memory:\n    store: ${redis.url}\n`),
      });
      // ruff's 4 files, codespell's 10 and vulture's whole project.
      const tools = ["--all", "--tools", "ruff,codespell,vulture"];
      expect((await scanJson(root, tools)).report.summary.fromMemory).toBe(0);
      const warm = await cachedMatchesUncached(root, tools);
      expect(warm.report.summary.fromMemory).toBe(15);
      expect(existsSync(path.join(root, ".crackerjack/cache"))).toBe(false);
      const stats = await jackpool(root, ["cache", "stats"]);
      expect(stats.stdout).toContain(`store: ${redis.url}`);
      // 15 results, and a manifest of each of the 2 per-file tools' runs (memory/recall.ts).
      expect(stats.stdout).toMatch(/^entries: 17$/m);
    } finally {
      await redis.stop();
    }
  });
});

describe("a project where jackpool cannot write its state", () => {
  it("still scans and reports everything, with one warning about the cache", async () => {
    const root = await projectCopy(SAMPLE_PROJECT);
    // A file where the state directory would go: no mkdir can succeed, not even as root.
    await writeFile(path.join(root, ".crackerjack"), "not a directory\n");
    const { report, run } = await scanJson(root, ["--all", "--tools", "ruff,codespell"]);
    expect(run.exitCode).toBe(1);
    expect(report.findings.filter((finding) => finding.tool === "ruff")).toHaveLength(2);
    expect(run.stderr.split("\n").filter((line) => line.startsWith("jackpool: warning: memory"))).toHaveLength(1);
    expect(await readFile(path.join(root, ".crackerjack"), "utf8")).toBe("not a directory\n");
  });
});
