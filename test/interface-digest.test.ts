import { createHash } from "node:crypto";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { REPO, VENV_BIN, tempDir, writeFiles } from "./helpers.js";

const SCRIPT = path.join(REPO, "assets/python/interface_digest.py");

const BASE = `import os

LIMIT = 3


class Store:
    size: int = 0

    def __init__(self, name: str) -> None:
        self.name = name

    def total(self, values: list[int]) -> int:
        """Sum."""
        return sum(values)


def load(path, retries=3):
    with open(path) as handle:
        return handle.read()


def pairs(values):
    return [(a, b) for a in values for b in values]


def reset():
    pass
`;

/** Edits that leave what importers see unchanged. */
const SAME: Record<string, string> = {
  comments: BASE.replace("LIMIT = 3", "# the limit\nLIMIT = 3  # three").replace(
    "        return sum(values)",
    "        # add them up\n        return sum(values)",
  ),
  "a docstring inside a function": BASE.replace('"""Sum."""', '"""Sum of all values, or 0."""'),
  "blank lines": BASE.replace("\n\nclass Store", "\n\n\n\nclass Store").replace("    def total", "\n    def total"),
  "a method body": BASE.replace("return sum(values)", "return sum(values) + 0"),
  "a function body": BASE.replace(
    "    with open(path) as handle:\n        return handle.read()",
    "    for _ in range(retries):\n        return os.fspath(path)",
  ),
};

/** Edits that may change what importers see. */
const DIFFERENT: Record<string, string> = {
  "a return annotation": BASE.replace("values: list[int]) -> int:", "values: list[int]) -> float:"),
  "a decorator": BASE.replace("def load(", "@staticmethod\ndef load("),
  "a default": BASE.replace("retries=3", "retries=4"),
  "a class attribute": BASE.replace("size: int = 0", "size: int = 1"),
  "a module-level statement": BASE.replace("LIMIT = 3", "LIMIT = 4"),
  "a # mypy: line": `# mypy: disallow-untyped-defs\n${BASE}`,
  "a # type: comment": BASE.replace("LIMIT = 3", "LIMIT = 3  # type: int"),
  // mypy stops at a type comment it cannot parse, wherever it is.
  "a # type: comment in a function body": BASE.replace(
    "        return handle.read()",
    "        text = handle.read()  # type: str\n        return text",
  ),
  "a # type: ignore for the module": `# type: ignore\n${BASE}`,
  "a yield in an unannotated function": BASE.replace(
    "    return [(a, b) for a in values for b in values]",
    "    yield [(a, b) for a in values for b in values]",
  ),
  "a self-attribute assignment": BASE.replace("self.name = name", "self.name = name.upper()"),
  "a trivial body made non-trivial": BASE.replace("def reset():\n    pass", "def reset():\n    print(LIMIT)"),
  "a function body with a global": BASE.replace("def reset():\n    pass", "def reset():\n    global LIMIT\n    LIMIT = 0"),
};

/** Neither parses nor compiles: mypy stops at such a file, so importers must re-run when it changes. */
const BLOCKING: Record<string, string> = {
  "a syntax error in a function body": BASE.replace("return sum(values)", "return sum(values"),
  "break outside a loop in a function body": BASE.replace("def reset():\n    pass", "def reset():\n    break"),
  "a nonlocal without a binding": BASE.replace("def reset():\n    pass", "def reset():\n    nonlocal LIMIT"),
};

/** Runs the script as jackpool does (paths on stdin, NUL-separated); each file's `[digest, sha256]`. */
async function digests(files: Record<string, string>, extraPaths: string[] = []): Promise<Map<string, [string, string]>> {
  const root = await tempDir();
  await writeFiles(root, files);
  const paths = [...Object.keys(files), ...extraPaths];
  const { stdout } = await execa(path.join(VENV_BIN, "python"), ["-I", SCRIPT], { cwd: root, input: paths.join("\0") });
  const lines = stdout.split("\n");
  expect(lines).toHaveLength(paths.length);
  return new Map(paths.map((file, index) => [file, lines[index]!.split(" ") as [string, string]]));
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

const fileName = (label: string): string => `${label.replace(/\W+/g, "_")}.py`;

describe("interface_digest.py", () => {
  it("keeps the digest for comments, docstrings in functions, blank lines and function bodies, and changes it for interface edits", async () => {
    const files: Record<string, string> = { "base.py": BASE };
    for (const [label, source] of Object.entries({ ...SAME, ...DIFFERENT })) files[fileName(label)] = source;
    const result = await digests(files);
    const base = result.get("base.py")![0];
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(result.get("base.py")![1]).toBe(sha256(BASE));
    for (const label of Object.keys(SAME)) expect([label, result.get(fileName(label))![0]]).toEqual([label, base]);
    for (const label of Object.keys(DIFFERENT)) expect([label, result.get(fileName(label))![0]]).not.toEqual([label, base]);
    // Each edit is its own interface.
    expect(new Set(Object.keys(DIFFERENT).map((label) => result.get(fileName(label))![0])).size).toBe(Object.keys(DIFFERENT).length);
  });

  it("a file that does not parse or compile stands for its content; an unreadable one gives no digest", async () => {
    const files = Object.fromEntries(Object.entries(BLOCKING).map(([label, source]) => [fileName(label), source]));
    const result = await digests(files, ["missing.py"]);
    for (const [label, source] of Object.entries(BLOCKING))
      expect([label, ...result.get(fileName(label))!]).toEqual([label, `content:${sha256(source)}`, sha256(source)]);
    expect(result.get("missing.py")).toEqual(["-", "-"]);
  });

  it("an attribute assigned in a nested function keeps the whole enclosing body; a yield in a nested function does not count", async () => {
    const nested = "def outer():\n    def inner(obj):\n        obj.value = 1\n    return inner\n";
    const nestedYield = "def outer():\n    def inner():\n        yield 1\n    return inner\n";
    const result = await digests({
      "nested.py": nested,
      "nested_edited.py": nested.replace("return inner", "return None"),
      "nested_yield.py": nestedYield,
      "nested_yield_edited.py": nestedYield.replace("return inner", "return None"),
    });
    expect(result.get("nested_edited.py")![0]).not.toBe(result.get("nested.py")![0]);
    expect(result.get("nested_yield_edited.py")![0]).toBe(result.get("nested_yield.py")![0]);
  });
});
