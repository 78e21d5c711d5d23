import { readFile, readdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { snapshotIndex } from "../src/files/index-snapshot.js";
import { selectFiles } from "../src/files/select.js";
import { git, gitRepo, scanJson, tempDir, writeFiles } from "./helpers.js";

function repo(): Promise<string> {
  return gitRepo({
    ".gitignore": "build/\n*.log\n",
    "a.py": "A = 1\n",
    "b.py": "B = 1\n",
    "gone.py": "G = 1\n",
    "sub/c.py": "C = 1\n",
    "docs/readme.md": "hello\n",
  });
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
    await expect(selectFiles(root, { mode: "paths", paths: ["nope.py"], cwd: root }, [])).rejects.toThrow(
      "nope.py: no such file or directory",
    );
    await expect(selectFiles(root, { mode: "paths", paths: ["../elsewhere"], cwd: root }, [])).rejects.toThrow(
      "../elsewhere: outside the project root",
    );
  });

  it("a directory that is not a git repository: every file, honouring its .gitignore", async () => {
    const root = await tempDir();
    await writeFiles(root, {
      ".gitignore": "*.log\n",
      "a.py": "",
      "pkg/b.py": "",
      "x.log": "",
      ".venv/lib/c.py": "",
      "pkg/__pycache__/b.pyc": "",
    });
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

  it("staged: added, modified, partially staged and renamed files; never deleted, unstaged, untracked or symlinked ones", async () => {
    const root = await repo();
    await writeFiles(root, { "a.py": "A = 2\n", "new.py": "N = 1\n", "staged-then-deleted.py": "S = 1\n", "sub/c.py": "C = 2\n" });
    await symlink("a.py", path.join(root, "link.py"));
    await git(root, "add", "a.py", "new.py", "staged-then-deleted.py", "sub/c.py", "link.py");
    await writeFile(path.join(root, "sub/c.py"), "C = 3\n"); // partially staged
    await rm(path.join(root, "staged-then-deleted.py")); // its staged content still goes into the commit
    await git(root, "mv", "b.py", "renamed.py");
    await git(root, "rm", "-q", "gone.py");
    await writeFile(path.join(root, "docs/readme.md"), "unstaged\n");
    await writeFiles(root, { "untracked.py": "" });
    expect(await selectFiles(root, { mode: "staged" }, [])).toEqual(["a.py", "new.py", "renamed.py", "staged-then-deleted.py", "sub/c.py"]);
    expect(await selectFiles(root, { mode: "staged" }, ["sub/", "new.py"])).toEqual(["a.py", "renamed.py", "staged-then-deleted.py"]);
  });

  it("staged: in a repository with no commit yet, every file in the index", async () => {
    const root = await tempDir();
    await writeFiles(root, { "x.py": "", "pkg/y.py": "", "z.py": "" });
    await git(root, "init", "-q");
    await git(root, "add", "x.py", "pkg/y.py");
    expect(await selectFiles(root, { mode: "staged" }, [])).toEqual(["pkg/y.py", "x.py"]);
  });

  it("since: changes since the merge base, work tree and untracked files included, not the other branch's later commits", async () => {
    const root = await repo();
    await git(root, "branch", "base");
    await git(root, "checkout", "-qb", "feature");
    await writeFiles(root, { "a.py": "A = 2\n", "feature.py": "F = 1\n" });
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "feature work");
    await git(root, "checkout", "-q", "base");
    await writeFiles(root, { "b.py": "B = 2\n", "base-only.py": "" });
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "base moves on");
    await git(root, "checkout", "-q", "feature");
    await writeFile(path.join(root, "sub/c.py"), "C = 2\n");
    await rm(path.join(root, "gone.py"));
    await writeFiles(root, { "untracked.py": "", "build/ignored.py": "" });
    expect(await selectFiles(root, { mode: "since", ref: "base" }, [])).toEqual(["a.py", "feature.py", "sub/c.py", "untracked.py"]);
    expect(await selectFiles(root, { mode: "since", ref: "HEAD" }, [])).toEqual(["sub/c.py", "untracked.py"]);
  });

  it("since: without a merge base, the work tree is compared with the ref itself", async () => {
    const root = await repo();
    const main = (await git(root, "rev-parse", "--abbrev-ref", "HEAD")).trim();
    await git(root, "checkout", "-q", "--orphan", "unrelated");
    await git(root, "rm", "-rqf", ".");
    await writeFiles(root, { "a.py": "A = 1\n", "b.py": "B = 2\n", "z.py": "" });
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "unrelated root");
    expect(await selectFiles(root, { mode: "since", ref: main }, [])).toEqual(["b.py", "z.py"]);
  });

  it("since: an unknown revision is a one-line error naming it", async () => {
    const root = await repo();
    await expect(selectFiles(root, { mode: "since", ref: "nope" }, [])).rejects.toThrow(/^--since nope: unknown revision$/);
    await expect(selectFiles(root, { mode: "since", ref: "--output=x" }, [])).rejects.toThrow(/^--since --output=x: unknown revision$/);
  });

  it("last-commit: what the last commit added, modified or renamed; never deleted or uncommitted files", async () => {
    const root = await repo();
    await writeFiles(root, { "a.py": "A = 2\n", "new.py": "" });
    await git(root, "mv", "b.py", "renamed.py");
    await git(root, "rm", "-q", "gone.py");
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "second");
    await writeFile(path.join(root, "sub/c.py"), "C = 2\n");
    await writeFiles(root, { "untracked.py": "" });
    expect(await selectFiles(root, { mode: "last-commit" }, [])).toEqual(["a.py", "new.py", "renamed.py"]);
  });

  it("last-commit: a root commit counts with every file; no commit at all is an error", async () => {
    const root = await repo();
    expect(await selectFiles(root, { mode: "last-commit" }, ["docs/"])).toEqual([".gitignore", "a.py", "b.py", "gone.py", "sub/c.py"]);
    const empty = await tempDir();
    await git(empty, "init", "-q");
    await expect(selectFiles(empty, { mode: "last-commit" }, [])).rejects.toThrow("--last-commit: the repository has no commit yet");
  });

  it("git modes in a project below the repository's top level: paths relative to the project, nothing outside it", async () => {
    const root = await repo();
    await writeFiles(root, { "a.py": "A = 2\n", "sub/c.py": "C = 2\n", "sub/d.py": "" });
    await git(root, "add", "-A");
    const project = path.join(root, "sub");
    expect(await selectFiles(project, { mode: "staged" }, [])).toEqual(["c.py", "d.py"]);
    expect(await selectFiles(project, { mode: "since", ref: "HEAD" }, [])).toEqual(["c.py", "d.py"]);
    await git(root, "commit", "-qm", "second");
    expect(await selectFiles(project, { mode: "last-commit" }, [])).toEqual(["c.py", "d.py"]);
  });

  it("git modes outside a git repository are an error", async () => {
    const root = await tempDir();
    await writeFiles(root, { "a.py": "" });
    await expect(selectFiles(root, { mode: "staged" }, [])).rejects.toThrow(/^--staged needs a git repository$/);
    await expect(selectFiles(root, { mode: "since", ref: "main" }, [])).rejects.toThrow(/^--since needs a git repository$/);
    await expect(selectFiles(root, { mode: "last-commit" }, [])).rejects.toThrow(/^--last-commit needs a git repository$/);
    await expect(snapshotIndex(root)).rejects.toThrow(/^--staged needs a git repository$/);
  });

  it("snapshotIndex: the whole index with staged bytes, leaving the work tree and index untouched", async () => {
    const root = await repo();
    await writeFile(path.join(root, "a.py"), "A = 'staged'\n");
    await git(root, "add", "a.py");
    await writeFile(path.join(root, "a.py"), "A = 'work tree'\n");
    await git(root, "rm", "-q", "gone.py");
    await writeFiles(root, { "untracked.py": "" });
    const status = await git(root, "status", "--porcelain");
    const index = await readFile(path.join(root, ".git/index"));
    const snapshot = await snapshotIndex(root);
    try {
      expect(await readFile(path.join(snapshot.dir, "a.py"), "utf8")).toBe("A = 'staged'\n");
      expect((await readdir(snapshot.dir, { recursive: true })).sort()).toEqual([
        ".gitignore",
        "a.py",
        "b.py",
        "docs",
        "docs/readme.md",
        "sub",
        "sub/c.py",
      ]);
    } finally {
      await snapshot.dispose();
    }
    expect(await readFile(path.join(root, "a.py"), "utf8")).toBe("A = 'work tree'\n");
    expect(await readFile(path.join(root, ".git/index"))).toEqual(index);
    expect(await git(root, "status", "--porcelain")).toBe(status);
    await expect(readdir(snapshot.dir)).rejects.toThrow("ENOENT");
  });

  it("snapshotIndex: a project below the top level is found again inside the snapshot", async () => {
    const root = await repo();
    await writeFile(path.join(root, "sub/c.py"), "C = 'staged'\n");
    await git(root, "add", "sub/c.py");
    await writeFile(path.join(root, "sub/c.py"), "C = 'work tree'\n");
    const snapshot = await snapshotIndex(path.join(root, "sub"));
    try {
      expect(await readFile(path.join(snapshot.dir, "c.py"), "utf8")).toBe("C = 'staged'\n");
      expect(await readFile(path.join(snapshot.dir, "../a.py"), "utf8")).toBe("A = 1\n");
    } finally {
      await snapshot.dispose();
    }
  });
});
