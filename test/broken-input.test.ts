import { describe, expect, it } from "vitest";
import type { ToolOverride } from "../src/tools/tool.js";
import { executeTask } from "../src/execute/execute-task.js";
import { toolRuns } from "../src/plan/runs.js";
import { BUILTIN_TOOLS } from "../src/tools/registry.js";
import { directExecutable } from "./direct-run.js";
import { tempDir, writeFiles } from "./helpers.js";

/** For each tool: a file with a finding it surely reports, a file broken for it, and the settings it needs. */
const CASES: Record<string, { good: [string, string]; broken: [string, string]; override?: ToolOverride }> = {
  ruff: { good: ["good.py", "import os\n"], broken: ["broken.py", "x = 10L\n"] },
  refurb: { good: ["good.py", "import os\n\n\ndef f(p: str) -> None:\n    os.remove(p)\n"], broken: ["broken.py", "x = 10L\n"] },
  complexipy: {
    good: [
      "good.py",
      `def f(a, b, c):\n${[1, 2, 3, 4, 5, 6, 7].map((depth) => `${"    ".repeat(depth)}if a and b or c:`).join("\n")}\n${"    ".repeat(8)}return 1\n    return 0\n`,
    ],
    broken: ["broken.py", "x = 10L\n"],
  },
  vulture: { good: ["good.py", "def unused_function():\n    return 1\n"], broken: ["broken.py", "x = 10L\n"] },
  codespell: { good: ["good.txt", "teh cat\n"], broken: ["latin1.txt", "caf\xe9 is fine\n"] },
  mypy: { good: ["good.py", 'x: int = "s"\n'], broken: ["broken.py", "x = 10L\n"] },
  skylos: { good: ["good.py", "import os\n"], broken: ["broken.py", "x = 10L\n"] },
  semgrep: { good: ["good.py", "eval(input())\n"], broken: ["broken.py", "def f(:\n    eval(input())\n"] },
  gitleaks: { good: ["good.env", 'AWS_ACCESS_KEY_ID="AKIAQ3EGUQTVOWZ4EXMP"\n'], broken: ["broken.bin", "\0\x01\x02\xff\xfe"] },
  "check-jsonschema": {
    good: ["good.json", '{"port": "eighty"}'],
    broken: ["broken.json", '{"port": 80,'],
    override: { schemas: [{ schema: "schema.json", files: ["*.json", "!schema.json"] }] },
  },
  pyright: { good: ["good.py", 'x: int = "s"\n'], broken: ["broken.py", "x = 10L\n"] },
  ty: { good: ["good.py", 'x: int = "s"\n'], broken: ["broken.py", "x = 10L\n"] },
  pyrefly: { good: ["good.py", "x = undefined_name\n"], broken: ["broken.py", "x = 10L\n"] },
  bandit: { good: ["good.py", "import subprocess\n\nsubprocess.call('ls', shell=True)\n"], broken: ["broken.py", "x = 10L\n"] },
  "ruff-format": { good: ["good.py", "def g( a,b ):\n  return a+b\n"], broken: ["broken.py", "x = 10L\n"] },
};

const SCHEMA = '{"type": "object", "properties": {"port": {"type": "integer"}}}';

describe("every adapter's broken-input declaration holds for its real tool", () => {
  it("has a case for every tool", () => {
    expect(BUILTIN_TOOLS.map((tool) => tool.spec.name).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const tool of BUILTIN_TOOLS) {
    const { spec } = tool;
    it(`${spec.name} (${spec.brokenInput})`, async () => {
      const { good, broken, override = {} } = CASES[spec.name]!;
      const root = await tempDir();
      await writeFiles(root, { [good[0]]: good[1], [broken[0]]: broken[1], "schema.json": SCHEMA });
      const [run] = await toolRuns(tool, override, root, [good[0], broken[0]]);
      const outcome = await executeTask({
        id: spec.name,
        tool: spec.name,
        program: { kind: "process", executable: directExecutable(spec.name, spec.executable) },
        files: run!.files,
        userArgs: run!.userArgs,
        cwd: root,
        timeoutMs: 120_000,
        estimatedMs: 0,
      });
      expect(outcome.kind, JSON.stringify(outcome)).toBe("completed");
      if (outcome.kind !== "completed") return;
      const files = new Set(outcome.findings.map((finding) => finding.path));
      if (spec.brokenInput === "per-file") {
        // It went on: the good file's finding is there, and nothing says the run stopped.
        expect(files.has(good[0]), JSON.stringify(outcome.findings)).toBe(true);
        expect(outcome.coverage).toBeUndefined();
      } else {
        // It stopped at the broken file: that file alone is reported, and the run says so.
        expect([...files]).toEqual([broken[0]]);
        expect(outcome.coverage).toEqual({ kind: "stopped", by: [broken[0]] });
      }
    });
  }
});
