import { describe, expect, it } from "vitest";
import { PlanError } from "../src/core/errors.js";
import { distribute } from "../src/plan/distribute.js";
import type { ToolWork } from "../src/plan/work.js";

function work(tool: ToolWork["tool"], files: number, overrides: Partial<ToolWork> = {}): ToolWork {
  return {
    tool,
    scope: "per-file",
    program: { kind: "process", executable: `/bin/${tool}` },
    files: Array.from({ length: files }, (_, index) => `pkg/module_${String(index).padStart(4, "0")}.py`),
    userArgs: [],
    timeoutMs: 1000,
    cost: { startupMs: 100, perFileMs: 10 },
    ...overrides,
  };
}

const LIMITS = { workers: 2, maxArgBytes: 1024 * 1024 };

describe("distribute", () => {
  it("gives every file of a per-file tool to exactly one task, in contiguous chunks", () => {
    const input = work("refurb", 500);
    const tasks = distribute("/p", [input], LIMITS);
    expect(tasks.length).toBeGreaterThan(1);
    expect(tasks.flatMap((task) => task.files).sort()).toEqual([...input.files]);
    for (const task of tasks)
      expect(task).toMatchObject({ tool: "refurb", cwd: "/p", program: { kind: "process", executable: "/bin/refurb" }, timeoutMs: 1000 });
  });

  it("keeps a whole-project tool in one task with every file", () => {
    const tasks = distribute("/p", [work("vulture", 500, { scope: "whole-project" })], LIMITS);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]?.files).toHaveLength(500);
    expect(tasks[0]?.id).toBe("vulture");
  });

  it("does not split when start-up cost would outweigh the work saved", () => {
    const tasks = distribute("/p", [work("refurb", 20, { cost: { startupMs: 1000, perFileMs: 10 } })], LIMITS);
    expect(tasks).toHaveLength(1);
  });

  it("puts the slowest tasks first", () => {
    const tasks = distribute(
      "/p",
      [work("ruff", 10, { cost: { startupMs: 10, perFileMs: 1 } }), work("refurb", 400), work("vulture", 50, { scope: "whole-project" })],
      LIMITS,
    );
    const estimates = tasks.map((task) => task.estimatedMs);
    expect(estimates).toEqual([...estimates].sort((a, b) => b - a));
    expect(tasks[0]?.tool).toBe("refurb");
    expect(tasks.at(-1)?.tool).toBe("ruff");
  });

  it("never builds a command line longer than the budget", () => {
    const long = work("ruff", 3000, { files: Array.from({ length: 3000 }, (_, index) => `${"deep/".repeat(20)}file_${index}.py`) });
    const budget = 64 * 1024;
    const tasks = distribute("/p", [long], { workers: 2, maxArgBytes: budget });
    for (const task of tasks) {
      const bytes = task.files.reduce((sum, file) => sum + Buffer.byteLength(`./${file}`) + 1, 0);
      expect(bytes).toBeLessThanOrEqual(budget - 4096);
    }
    expect(tasks.flatMap((task) => task.files)).toHaveLength(3000);
  });

  it("refuses a whole-project tool whose file list cannot fit one command line", () => {
    expect(() => distribute("/p", [work("vulture", 5000, { scope: "whole-project" })], { workers: 2, maxArgBytes: 32 * 1024 })).toThrow(
      PlanError,
    );
  });

  it("skips tools with no files", () => {
    expect(distribute("/p", [work("ruff", 0)], LIMITS)).toEqual([]);
  });
});
