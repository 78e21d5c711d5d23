import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { selectFiles } from "../src/files/select.js";
import { git, scanJson, tempDir, writeFiles } from "./helpers.js";

async function repo(): Promise<string> {
  const root = await tempDir();
  await writeFiles(root, {
    ".gitignore": "build/\n*.log\n",
    "a.py": "A = 1\n",
    "b.py": "B = 1\n",
    "gone.py": "G = 1\n",
    "sub/c.py": "C = 1\n",
    "docs/readme.md": "hello\n",
  });
  await git(root, "init", "-q");
  await git(root, "add", "-A");
  await git(root, "commit", "-qm", "initial");
  return root;
}

describe("file selection", () => {
  it("--all: every tracked file, minus config excludes", async () => {
    const root = await repo();
    await writeFiles(root, { "untracked.py": "", "build/out.py": "" });
    expect(await selectFiles(root, { mode: "all" }, [])).toEqual([".gitignore", "a.py", "b.py", "docs/readme.md", "gone.py", "sub/c.py"]);
    expect(await selectFiles(root, { mode: "all" }, ["docs/", "*.md", "sub"])).toEqual([".gitignore", "a.py", "b.py", "gone.py"]);
  });

  it("changed: modified, staged and untracked files; never deleted or ignored ones", async () => {
    const root = await repo();
    await writeFile(path.join(root, "a.py"), "A = 2\n");
    await writeFile(path.join(root, "sub/c.py"), "C = 2\n");
    await git(root, "add", "sub/c.py");
    await rm(path.join(root, "gone.py"));
    await writeFiles(root, { "new.py": "", "build/ignored.py": "", "debug.log": "" });
    expect(await selectFiles(root, { mode: "changed" }, [])).toEqual(["a.py", "new.py", "sub/c.py"]);
  });

  it("changed: a renamed file is scanned under its new name only", async () => {
    const root = await repo();
    await git(root, "mv", "b.py", "renamed.py");
    expect(await selectFiles(root, { mode: "changed" }, [])).toEqual(["renamed.py"]);
  });

  it("changed: in a repository with no commit yet, every file counts", async () => {
    const root = await tempDir();
    await writeFiles(root, { "x.py": "", "y.py": "" });
    await git(root, "init", "-q");
    await git(root, "add", "x.py");
    expect(await selectFiles(root, { mode: "changed" }, [])).toEqual(["x.py", "y.py"]);
  });

  it("paths: files and directories named relative to the working directory", async () => {
    const root = await repo();
    await writeFiles(root, { "sub/new.py": "" });
    expect(await selectFiles(root, { mode: "paths", paths: ["sub", "a.py"], cwd: root }, [])).toEqual(["a.py", "sub/c.py", "sub/new.py"]);
    expect(await selectFiles(root, { mode: "paths", paths: ["c.py"], cwd: path.join(root, "sub") }, [])).toEqual(["sub/c.py"]);
    await expect(selectFiles(root, { mode: "paths", paths: ["nope.py"], cwd: root }, [])).rejects.toThrow("nope.py: no such file or directory");
    await expect(selectFiles(root, { mode: "paths", paths: ["../elsewhere"], cwd: root }, [])).rejects.toThrow("../elsewhere: outside the project root");
  });

  it("a directory that is not a git repository: every file, honouring its .gitignore", async () => {
    const root = await tempDir();
    await writeFiles(root, { ".gitignore": "*.log\n", "a.py": "", "pkg/b.py": "", "x.log": "", ".venv/lib/c.py": "", "pkg/__pycache__/b.pyc": "" });
    expect(await selectFiles(root, { mode: "all" }, [])).toEqual([".gitignore", "a.py", "pkg/b.py"]);
    expect(await selectFiles(root, { mode: "changed" }, [])).toEqual([".gitignore", "a.py", "pkg/b.py"]);
  });

  it("a whole-project tool sees every file when one file changed, so cross-file use is not reported as dead", async () => {
    const root = await tempDir();
    await writeFiles(root, {
      "lib.py": "def helper():\n    return 1\n",
      "app.py": "from lib import helper\n\nprint(helper())\n",
    });
    await git(root, "init", "-q");
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "initial");
    await writeFile(path.join(root, "lib.py"), "def helper():\n    return 2\n");
    const { report, run } = await scanJson(root, ["--tools", "vulture,ruff"]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.tools.find((tool) => tool.tool === "vulture")?.files).toBe(2);
    expect(report.tools.find((tool) => tool.tool === "ruff")?.files).toBe(1);
    // Deleting the last caller makes helper() dead: found although app.py was deleted and lib.py is unchanged.
    await git(root, "commit", "-qam", "change");
    await rm(path.join(root, "app.py"));
    await writeFiles(root, { "other.py": "X = 1\n" });
    const after = await scanJson(root, ["--tools", "vulture"]);
    expect(after.report.findings.map((finding) => `${finding.path}:${finding.line}:${finding.rule}`)).toEqual(["lib.py:1:unused-function"]);
  });
});
