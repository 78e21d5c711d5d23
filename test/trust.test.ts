import { chmod, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { builtinTool } from "../src/tools/registry.js";
import type { Finding } from "../src/core/finding.js";
import { directExecutable } from "./direct-run.js";
import { brief, cachedMatchesUncached, comparableReport, git, gitRepo, scanJson } from "./helpers.js";

const NO_POOLS = "pool_scanning:\n  enabled: false\n";
// refurb: FURB107 (try/except: pass) and FURB144 (os.remove) on lines 5 and 6.
const WITH_HINTS = "import os\n\n\ndef f(p: str) -> None:\n    try:\n        os.remove(p)\n    except OSError:\n        pass\n";
const BROKEN = "x = 10L\n";

/** What refurb itself prints over `files`, in that order, read by jackpool's own parser. */
async function refurbDirect(root: string, files: string[]): Promise<string[]> {
  const adapter = builtinTool("refurb")!.driver;
  const args = adapter.buildArgs(files, { taskDir: root, userArgs: [] });
  const run = await execa(directExecutable("refurb", "refurb"), args, { cwd: root, reject: false });
  const parsed = await adapter.parse({
    exitCode: run.exitCode ?? -1,
    stdout: run.stdout,
    stderr: run.stderr,
    cwd: root,
    taskDir: root,
    args,
  });
  if (parsed.kind !== "findings") throw new Error(parsed.message);
  return parsed.findings.map((finding: Finding) => `${finding.path}:${finding.line}:${finding.rule}`).sort();
}

describe("a result is remembered only for a file the tool really analysed", () => {
  it("refurb stopped by a syntax error in another file: fixing that file does not replay 'clean' for the others", async () => {
    const root = await gitRepo({ ".crackerjack.yaml": NO_POOLS, "a.py": WITH_HINTS, "b.py": BROKEN });
    const scan = (...extra: string[]) => scanJson(root, ["--all", "--tools", "refurb", ...extra]);
    const broken = await scan();
    expect(broken.run.exitCode).toBe(1);
    expect(brief(broken.report, "refurb")).toEqual(["b.py:1:mypy-syntax"]);
    expect(brief(broken.report, "refurb")).toEqual(await refurbDirect(root, ["a.py", "b.py"]));

    await writeFile(path.join(root, "b.py"), "x = 10\n");
    const cached = await scan("--explain");
    expect(cached.run.exitCode).toBe(1);
    expect(brief(cached.report, "refurb")).toEqual(["a.py:5:FURB107", "a.py:6:FURB144"]);
    const uncached = await scan("--no-cache");
    expect(comparableReport(cached.report)).toBe(comparableReport(uncached.report));
  });

  it("refurb split into chunks with two broken files reports what one refurb run over all of them reports", async () => {
    const root = await gitRepo({
      ".crackerjack.yaml": NO_POOLS,
      "a.py": WITH_HINTS,
      "b.py": BROKEN,
      "c.py": "y = 1L\n",
      "d.py": WITH_HINTS,
    });
    const files = ["a.py", "b.py", "c.py", "d.py"];
    const direct = await refurbDirect(root, files);
    expect(direct).toEqual(["b.py:1:mypy-syntax"]);
    // Four one-file tasks: two stop at their own file, two find hints; refurb itself names only the first broken file.
    const chunked = await scanJson(root, ["--all", "--tools", "refurb", "--max-chunk-files", "1"]);
    expect(brief(chunked.report, "refurb")).toEqual(direct);
    expect(chunked.run.exitCode).toBe(1);
    // Memory now knows b.py stops refurb: the next scan makes one run over every file instead of four.
    const cached = await cachedMatchesUncached(root, ["--all", "--tools", "refurb", "--max-chunk-files", "1"]);
    expect(cached.run.stderr).toContain("miss  refurb (4 files) (b.py stops its run: one run over all of them, as the tool gives)");
    expect(brief(cached.report, "refurb")).toEqual(direct);

    // Fixing b.py: c.py stops the run now, and refurb names it.
    await writeFile(path.join(root, "b.py"), "x = 10\n");
    expect(brief((await cachedMatchesUncached(root, ["--all", "--tools", "refurb", "--max-chunk-files", "1"])).report, "refurb")).toEqual([
      "c.py:1:mypy-syntax",
    ]);
    await writeFile(path.join(root, "c.py"), "y = 1\n");
    const fixed = await cachedMatchesUncached(root, ["--all", "--tools", "refurb", "--max-chunk-files", "1"]);
    expect(brief(fixed.report, "refurb")).toEqual(["a.py:5:FURB107", "a.py:6:FURB144", "d.py:5:FURB107", "d.py:6:FURB144"]);
  });

  it("a file broken after its neighbours were remembered stops refurb's report, on this scan and the next", async () => {
    const root = await gitRepo({ ".crackerjack.yaml": NO_POOLS, "a.py": WITH_HINTS, "b.py": "x = 10\n" });
    const args = ["--all", "--tools", "refurb"];
    expect(brief((await scanJson(root, args)).report, "refurb")).toEqual(["a.py:5:FURB107", "a.py:6:FURB144"]);
    await writeFile(path.join(root, "b.py"), BROKEN);
    // a.py's result is replayed, b.py's run stops: the report is refurb's own answer over both.
    expect(brief((await cachedMatchesUncached(root, args)).report, "refurb")).toEqual(["b.py:1:mypy-syntax"]);
    expect(brief((await cachedMatchesUncached(root, args)).report, "refurb")).toEqual(["b.py:1:mypy-syntax"]);
  });

  it("refurb stopped under the project's mypy `pretty = true` (source line and caret after the error) is a stop, not a crash", async () => {
    const root = await gitRepo({
      ".crackerjack.yaml": NO_POOLS,
      "pyproject.toml": "[tool.mypy]\npretty = true\n",
      "a.py": WITH_HINTS,
      "b.py": "x = 10\n",
    });
    const args = ["--all", "--tools", "refurb", "--max-chunk-files", "1"];
    expect(brief((await scanJson(root, args)).report, "refurb")).toEqual(["a.py:5:FURB107", "a.py:6:FURB144"]);
    await writeFile(path.join(root, "b.py"), BROKEN);
    expect(await refurbDirect(root, ["a.py", "b.py"])).toEqual(["b.py:1:mypy-syntax"]);
    const { report, run } = await cachedMatchesUncached(root, args);
    expect(run.exitCode).toBe(1);
    expect(brief(report, "refurb")).toEqual(["b.py:1:mypy-syntax"]);
    expect(report.tools[0]?.status).toBe("findings");
  });
});

describe("memory keys hold what a tool's findings depend on", () => {
  it("a chmod alone is a miss: ruff's EXE findings follow the file's mode, never a result remembered for another", async () => {
    const root = await gitRepo({ "pyproject.toml": '[tool.ruff.lint]\nselect = ["EXE"]\n', "run.py": "print(1)\n" });
    const scan = () => scanJson(root, ["--all", "--tools", "ruff", "--backend", "local"]);
    expect(brief((await scan()).report, "ruff")).toEqual([]);
    await chmod(path.join(root, "run.py"), 0o755);
    const executable = await scan();
    expect(brief(executable.report, "ruff")).toEqual(["run.py:1:EXE002"]);
    expect(executable.report.summary.fromMemory).toBe(0);
    await chmod(path.join(root, "run.py"), 0o644);
    const back = await scan();
    expect(brief(back.report, "ruff")).toEqual([]);
    expect(back.report.summary.fromMemory).toBe(1);
  });
});

describe("adapters read their tools as the tools mean it", () => {
  it("refurb runs its environment's code, not a project's own refurb or mypy package, and prints what refurb prints", async () => {
    const impostor = "raise SystemExit(7)\n";
    const root = await gitRepo({
      ".crackerjack.yaml": NO_POOLS,
      "a.py": WITH_HINTS,
      "refurb/__init__.py": impostor,
      "refurb/main.py": impostor,
      "mypy/__init__.py": impostor,
    });
    const { report, run } = await scanJson(root, ["--all", "--tools", "refurb"]);
    expect(run.exitCode).toBe(1);
    expect(brief(report, "refurb")).toEqual(["a.py:5:FURB107", "a.py:6:FURB144"]);
    expect(brief(report, "refurb")).toEqual(await refurbDirect(root, ["a.py", "mypy/__init__.py", "refurb/__init__.py", "refurb/main.py"]));
  });

  it("vulture: a syntax error in Python's own words is a finding beside the dead code, not a crash", async () => {
    const root = await gitRepo({
      ".crackerjack.yaml": NO_POOLS,
      "used.py": "def unused_function():\n    return 1\n",
      "broken.py": BROKEN,
      "unterminated.py": 's = "abc\n',
      "nulls.py": "x = 1\0\n",
    });
    const { report, run } = await scanJson(root, ["--all", "--tools", "vulture"]);
    expect(run.exitCode).toBe(1);
    expect(report.tools[0]).toMatchObject({ tool: "vulture", status: "findings", notes: [] });
    expect(brief(report, "vulture")).toEqual([
      "broken.py:1:syntax-error",
      "nulls.py:1:syntax-error",
      "unterminated.py:1:syntax-error",
      "used.py:1:unused-function",
    ]);
    expect(report.findings.find((finding) => finding.path === "broken.py")?.message).toBe('invalid decimal literal at "x = 10L"');
    expect(report.findings.find((finding) => finding.path === "unterminated.py")?.message).toMatch(/^unterminated string literal/);
  });

  it("skylos: a secret's path is the file's, whatever root skylos finds for itself; unused classes are unused-class", async () => {
    const root = await gitRepo({
      ".crackerjack.yaml": NO_POOLS,
      "pkg/sub/other.py": "class Lonely:\n    pass\n",
      "pkg/sub/my keys.py": '"""Settings."""\n\n\nAWS_ACCESS_KEY_ID = "AKIAQ3EGUQTVOWZ4EXMP"\n',
    });
    const { report } = await scanJson(root, ["--all", "--tools", "skylos"]);
    expect(brief(report, "skylos")).toContain("pkg/sub/my keys.py:4:SKY-S101");
    expect(brief(report, "skylos")).toContain("pkg/sub/other.py:1:unused-class");
    expect(report.findings.every((finding) => !finding.path.includes("pkg/sub/pkg/sub"))).toBe(true);
  });

  it("skylos: an incomplete analysis (exit 2, a repository with no commit yet) reports what it found, and is not remembered", async () => {
    const root = await gitRepo({ ".crackerjack.yaml": NO_POOLS, "app.py": "import os\n\nprint(eval(input()))\n" }, { commit: false });
    const first = await scanJson(root, ["--all", "--tools", "skylos"]);
    expect(first.report.tools[0]).toMatchObject({ tool: "skylos", status: "findings", notes: [] });
    expect(brief(first.report, "skylos")).toEqual([".:1:SKY-ANALYSIS-INCOMPLETE", "app.py:1:unused-import", "app.py:3:SKY-D201"]);
    const again = await scanJson(root, ["--all", "--tools", "skylos"]);
    expect(again.report.summary.fromMemory).toBe(0);
    expect(again.report.tools[0]?.tasks).toBe(1);
  });

  it("ty: a file it cannot read (not UTF-8) is its finding, beside the others (ty exits 2, with its report)", async () => {
    const root = await gitRepo({ ".crackerjack.yaml": NO_POOLS, "good.py": 'x: int = "s"\n', "latin1.py": "# caf\xe9\nx = 1\n" });
    await writeFile(path.join(root, "latin1.py"), Buffer.from("# caf\xe9\nx = 1\n", "latin1"));
    const { report, run } = await scanJson(root, ["--all", "--tools", "ty"]);
    expect(run.exitCode).toBe(1);
    expect(report.tools[0]?.status).toBe("findings");
    expect(brief(report, "ty")).toEqual(["good.py:1:invalid-assignment", "latin1.py:1:io"]);
  });

  it("a tool's failure note names the task once", async () => {
    const root = await gitRepo({
      ".crackerjack.yaml": `${NO_POOLS}  tools:\n    vulture:\n      args: ["--min-confidence", "x"]\n`,
      "a.py": "x = 1\n",
    });
    const { report, run } = await scanJson(root, ["--all", "--tools", "vulture"]);
    expect(run.exitCode).toBe(2);
    expect(report.tools[0]?.notes[0]).toMatch(/^vulture: exited 2: /);
  });
});

describe("a tool checks what its own configuration checks", () => {
  const typed = {
    ".crackerjack.yaml": NO_POOLS,
    "src/pkg/__init__.py": "",
    "src/pkg/mod.py": "def size() -> int:\n    return 1\n",
    "src/pkg/mod.pyi": "def size() -> int: ...\n",
    "src/pkg/use.py": "from pkg.mod import size\n\nn: str = size()\n",
    "tests/data/one/a.py": 'x: int = "one"\n',
    "tests/data/two/a.py": 'x: int = "two"\n',
  };

  it("mypy: a .pyi beside its .py is no duplicate module, and the config's exclude and files are mypy's", async () => {
    const root = await gitRepo({ ...typed, "mypy.ini": "[mypy]\nmypy_path = src\nexclude = tests/data\n" });
    const excluded = await scanJson(root, ["--all", "--tools", "mypy"]);
    expect(excluded.report.tools[0]?.notes).toEqual([]);
    expect(brief(excluded.report, "mypy")).toEqual(["src/pkg/use.py:3:assignment"]);

    await writeFile(path.join(root, "mypy.ini"), "[mypy]\nfiles = tests/data/two\n");
    await git(root, "commit", "-qam", "mypy checks one directory");
    const configured = await cachedMatchesUncached(root, ["--all", "--tools", "mypy"]);
    expect(brief(configured.report, "mypy")).toEqual(["tests/data/two/a.py:1:assignment"]);

    // A mypy.ini git does not track yet is read by mypy all the same: it is part of the key.
    await writeFile(path.join(root, "mypy.ini"), "[mypy]\nfiles = tests/data/one\n");
    expect(brief((await cachedMatchesUncached(root, ["--all", "--tools", "mypy"])).report, "mypy")).toEqual([
      "tests/data/one/a.py:1:assignment",
    ]);
  });

  it("mypy: notes alone (an untyped function's body it did not check) are findings, not a crash", async () => {
    // With --output json mypy exits 1 here, where its text output exits 0.
    const root = await gitRepo({ ".crackerjack.yaml": NO_POOLS, "a.py": 'def f(x):\n    y: int = "s"\n    return y\n' });
    const { report } = await scanJson(root, ["--all", "--tools", "mypy"]);
    expect(report.tools.map((tool) => [tool.tool, tool.status, tool.notes])).toEqual([["mypy", "findings", []]]);
    expect(brief(report, "mypy")).toEqual(["a.py:2:annotation-unchecked"]);
  });

  it("pyright: a configuration with include names what pyright checks", async () => {
    const root = await gitRepo({ ...typed, "pyrightconfig.json": '{\n  // comments are allowed\n  "include": ["tests/data/one"],\n}\n' });
    const { report } = await scanJson(root, ["--all", "--tools", "pyright"]);
    expect(report.tools[0]).toMatchObject({ status: "findings", notes: [] });
    expect(brief(report, "pyright")).toEqual(["tests/data/one/a.py:1:reportAssignmentType"]);
  });

  it("vulture's paths, skylos's excluded folders and semgrep's .semgrepignore are theirs", async () => {
    const root = await gitRepo({
      ".crackerjack.yaml": NO_POOLS,
      "pyproject.toml": '[tool.vulture]\npaths = ["src"]\n\n[tool.skylos]\nexclude = ["generated"]\n',
      ".semgrepignore": "generated/\n",
      "src/app.py": "import os\n\nprint(eval(input()))\n",
      "generated/gen.py": "import sys\n\nprint(eval(input()))\n",
      "vendor/lib.py": "import json\n",
    });
    const { report } = await scanJson(root, ["--all", "--tools", "vulture,skylos,semgrep"]);
    expect(brief(report, "vulture")).toEqual(["src/app.py:1:unused-import"]);
    expect(brief(report, "skylos")).toEqual(["src/app.py:1:unused-import", "src/app.py:3:SKY-D201"]);
    expect(brief(report, "semgrep")).toEqual(["src/app.py:3:jackpool.eval-exec-of-input"]);
  });
});

describe("real projects' settings files", () => {
  it("a pyproject.toml with tables in lists (mypy's [[tool.mypy.overrides]]) is read, not crashed on", async () => {
    const root = await gitRepo({
      ".crackerjack.yaml": NO_POOLS,
      "pyproject.toml": '[tool.mypy]\nstrict = true\n\n[[tool.mypy.overrides]]\nmodule = "b"\nignore_errors = true\n',
      "a.py": 'x: int = "a"\n',
      "b.py": 'y: int = "b"\n',
    });
    const { report, run } = await scanJson(root, ["--all", "--tools", "refurb,mypy"]);
    expect(run.stderr).toBe("");
    expect(brief(report, "mypy")).toEqual(["a.py:1:assignment"]);
  });
});
