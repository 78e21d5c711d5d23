import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";
import { JACKPOOL, SAMPLE_PROJECT, SYSTEM_PATH, VENV_BIN, fakeTools, projectCopy, running, tempDir } from "./helpers.js";

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 25));
}

it.each([
  ["SIGINT", 130, "interrupted"],
  ["SIGTERM", 143, "terminated"],
] as const)("%s stops the scan, kills every tool process and its children, and exits %i", async (signal, exitCode, word) => {
  const root = await projectCopy(SAMPLE_PROJECT);
  const pids = path.join(await tempDir(), "pids");
  const hang = `if [ "$1" = "--version" ]; then echo "2.0"; exit 0; fi\nsleep 600 & echo $! >> '${pids}'; echo $$ >> '${pids}'; wait`;
  // Two hanging tools occupy both worker threads; the others wait in the queue.
  const bin = await fakeTools({ refurb: hang, codespell: hang });
  const scan = execa("node", [JACKPOOL, "scan", "--all", "--jobs", "2"], {
    cwd: root,
    reject: false,
    env: { PATH: [bin, VENV_BIN, SYSTEM_PATH].join(path.delimiter) },
  });
  await waitFor(() => existsSync(pids) && lineCount(pids) >= 4);
  const interrupted = Date.now();
  scan.kill(signal);
  const result = await scan;
  const stopMs = Date.now() - interrupted;
  expect(result.exitCode).toBe(exitCode);
  expect(result.stderr).toContain(`jackpool: ${word}, stopping tools`);
  // Generous bound for a loaded CI machine; the tools would otherwise run for 10 minutes.
  expect(stopMs).toBeLessThan(5000);
  const started = (await readFile(pids, "utf8")).trim().split("\n").map(Number);
  expect(started).toHaveLength(4);
  for (const pid of started) expect(await running(pid), `pid ${pid} survived Ctrl-C`).toBe(false);
});

function lineCount(file: string): number {
  return readFileSync(file, "utf8").trim().split("\n").length;
}
