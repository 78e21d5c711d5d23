import { existsSync } from "node:fs";
import { readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { VENV_BIN, brief, cachedMatchesUncached, explained, fakeTools, gitRepo, missReason, scanJson, tempDir } from "./helpers.js";

// app.py's FURB115 needs to know that `items()` returns a list: it depends on lib.py's signature.
const LIB = `LIMIT = 1


class Store:
    def __init__(self) -> None:
        self.items: list[int] = []

    def reset(self):
        self.count = 0


def items() -> list[int]:
    return [1, 2]


def configure():
    global LIMIT
    LIMIT = 2
`;

const APP = `from lib import items


def empty() -> bool:
    values = items()
    if len(values) == 0:
        return True
    return False
`;

const TOOLS = ["--all", "--tools", "refurb"];

/** A project where app.py imports lib.py, scanned once with refurb so memory holds both results. */
async function scannedProject(options: Parameters<typeof scanJson>[2] = {}): Promise<string> {
  const root = await gitRepo({ ".crackerjack.yaml": "pool_scanning:\n  enabled: false\n", "lib.py": LIB, "app.py": APP });
  const cold = await scanJson(root, TOOLS, options);
  expect(brief(cold.report, "refurb")).toEqual(["app.py:6:FURB115"]);
  return root;
}

async function editLib(root: string, from: string, to: string): Promise<void> {
  const source = await readFile(path.join(root, "lib.py"), "utf8");
  expect(source).toContain(from);
  await writeFile(path.join(root, "lib.py"), source.replace(from, to));
}

describe("refurb keys on the interfaces of imported files", () => {
  it("a function-body edit re-runs only the edited file; its importer is a hit", async () => {
    const root = await scannedProject();
    await editLib(root, "return [1, 2]", "return [3, 4, 5]");
    const { run, report } = await cachedMatchesUncached(root, TOOLS);
    expect(explained(run.stderr, "miss", "refurb")).toEqual(["lib.py"]);
    expect(explained(run.stderr, "hit", "refurb")).toEqual(["app.py"]);
    expect(missReason(run.stderr, "refurb", "lib.py")).toBe("file changed");
    expect(brief(report, "refurb")).toEqual(["app.py:6:FURB115"]);
  });

  it("a return annotation change re-runs the importer, whose finding goes as it would uncached", async () => {
    const root = await scannedProject();
    await editLib(root, "def items() -> list[int]:", "def items():");
    const { run, report } = await cachedMatchesUncached(root, TOOLS);
    expect(explained(run.stderr, "miss", "refurb")).toEqual(["app.py", "lib.py"]);
    expect(missReason(run.stderr, "refurb", "app.py")).toBe("imported files changed: lib.py");
    expect(brief(report, "refurb")).toEqual([]);
  });

  it("a method body assigning self.attr, or a function body with a global, is interface: the importer re-runs", async () => {
    const root = await scannedProject();
    await editLib(root, "self.count = 0", 'self.count = "none"');
    const attribute = await cachedMatchesUncached(root, TOOLS);
    expect(explained(attribute.run.stderr, "miss", "refurb")).toEqual(["app.py", "lib.py"]);
    expect(missReason(attribute.run.stderr, "refurb", "app.py")).toBe("imported files changed: lib.py");
    await editLib(root, "    LIMIT = 2\n", '    LIMIT = "two"\n');
    const global = await cachedMatchesUncached(root, TOOLS);
    expect(explained(global.run.stderr, "miss", "refurb")).toEqual(["app.py", "lib.py"]);
    expect(missReason(global.run.stderr, "refurb", "app.py")).toBe("imported files changed: lib.py");
    expect(brief(global.report, "refurb")).toEqual(["app.py:6:FURB115"]);
  });

  it("a syntax or compile error in a function body of an imported file re-runs the importer", async () => {
    const root = await scannedProject();
    await editLib(root, "return [1, 2]", "return [1, 2");
    const syntax = await cachedMatchesUncached(root, TOOLS);
    expect(explained(syntax.run.stderr, "miss", "refurb")).toEqual(["app.py", "lib.py"]);
    expect(brief(syntax.report, "refurb")).not.toContain("app.py:6:FURB115");
    await editLib(root, "return [1, 2", "return [1, 2]");
    await cachedMatchesUncached(root, TOOLS);
    await editLib(root, "return [1, 2]", "break");
    const compile = await cachedMatchesUncached(root, TOOLS);
    expect(explained(compile.run.stderr, "miss", "refurb")).toEqual(["app.py", "lib.py"]);
    expect(missReason(compile.run.stderr, "refurb", "app.py")).toBe("imported files changed: lib.py");
  });

  it("a warm scan starts no Python: the digests are kept by content hash for the current files only", async () => {
    // refurb behind a shell script (no virtualenv to take Python from), and a python3 that leaves a mark.
    const marks = await tempDir();
    const bin = await fakeTools({
      refurb: `exec '${path.join(VENV_BIN, "refurb")}' "$@"`,
      python3: `touch '${marks}/ran'; exec '${path.join(VENV_BIN, "python")}' "$@"`,
    });
    const options = { pathDirs: [bin], withTools: false };
    const root = await scannedProject(options);
    expect(existsSync(path.join(marks, "ran"))).toBe(true);
    const saved = async () =>
      JSON.parse(await readFile(path.join(root, ".crackerjack/interfaces.json"), "utf8")) as { digests: Record<string, string> };
    // Only lib.py is imported.
    expect(Object.keys((await saved()).digests)).toHaveLength(1);
    await rm(path.join(marks, "ran"));
    const warm = await scanJson(root, [...TOOLS, "--explain"], options);
    expect(explained(warm.run.stderr, "hit", "refurb")).toEqual(["app.py", "lib.py"]);
    expect(existsSync(path.join(marks, "ran"))).toBe(false);
    // The old content's digest goes once lib.py changes.
    const before = Object.keys((await saved()).digests);
    await editLib(root, "return [1, 2]", "return [3]");
    const edited = await scanJson(root, [...TOOLS, "--explain"], options);
    expect(explained(edited.run.stderr, "hit", "refurb")).toEqual(["app.py"]);
    expect(existsSync(path.join(marks, "ran"))).toBe(true);
    const after = Object.keys((await saved()).digests);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
  });

  it("with no Python to digest with, imports are keyed on file contents and the results stay right", async () => {
    // refurb behind a shell script (no virtualenv to take Python from), and a PATH with git and no python3.
    const bin = await fakeTools({ refurb: `exec '${path.join(VENV_BIN, "refurb")}' "$@"` });
    await symlink("/usr/bin/git", path.join(bin, "git"));
    const options = { pathDirs: [bin], withTools: false, withSystem: false };
    const root = await scannedProject(options);
    await editLib(root, "return [1, 2]", "return [3, 4, 5]");
    const { run, report } = await cachedMatchesUncached(root, [...TOOLS, "--verbose"], options);
    expect(run.stderr).toContain("interface digests: no Python found; imports are keyed on file contents");
    expect(explained(run.stderr, "miss", "refurb")).toEqual(["app.py", "lib.py"]);
    expect(missReason(run.stderr, "refurb", "app.py")).toBe("imported files changed: lib.py");
    expect(brief(report, "refurb")).toEqual(["app.py:6:FURB115"]);
  });
});
