import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { executeTask } from "../src/execute/execute-task.js";
import { CANNOT_START, gated } from "../src/execute/watchdog.js";
import { SAMPLE_PROJECT, projectCopy, tempDir } from "./helpers.js";

it("a gated tool whose gate never opens (jackpool gone before the watchdog had its group) never starts", async () => {
  const dir = await tempDir();
  const ran = path.join(dir, "ran");
  const [shell, args] = gated("/bin/sh", ["-c", `touch '${ran}'`]);
  // End of input without the line, as when jackpool dies: the pipe closes.
  const result = await execa(shell, args, { input: "", reject: false });
  expect(result.exitCode).toBe(0);
  expect(existsSync(ran)).toBe(false);
});

it("an opened gate becomes the tool: its arguments intact, its stdin /dev/null", async () => {
  const dir = await tempDir();
  const tool = path.join(dir, "tool with space");
  await writeFile(tool, '#!/bin/sh\nprintf "%s|" "$@"; readlink /proc/self/fd/0\n', { mode: 0o755 });
  const [shell, args] = gated(tool, ["a b", "$HOME", "*", "-"]);
  const result = await execa(shell, args, { input: "go\n", reject: false });
  expect(result.stdout).toBe("a b|$HOME|*|-|/dev/null");
  expect(result.exitCode).toBe(0);
});

it("a tool executable gone between the probe and the run is a tool error that names it, not its tool's misread output", async () => {
  const root = await projectCopy(SAMPLE_PROJECT);
  const missing = path.join(await tempDir(), "ruff");
  const outcome = await executeTask({
    id: "ruff",
    tool: "ruff",
    program: { kind: "process", executable: missing },
    files: ["src/inventory/models.py"],
    userArgs: [],
    cwd: root,
    timeoutMs: 60_000,
    estimatedMs: 1,
  });
  expect(outcome).toMatchObject({ kind: "tool-error", exitCode: null, message: `${CANNOT_START}${missing}` });
});
