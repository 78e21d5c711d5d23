import { existsSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
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

it("Ctrl-C while tools are still probed with --version stops the scan there: the probe is killed and no task runs", async () => {
  const root = await projectCopy(SAMPLE_PROJECT);
  const dir = await tempDir();
  const [probing, release, ran] = ["probing", "release", "ran"].map((name) => path.join(dir, name)) as [string, string, string];
  // ruff's --version waits for a file this test never writes; any tool that gets to run leaves a mark.
  const bin = await fakeTools({
    ruff: `if [ "$1" = "--version" ]; then echo $$ > '${probing}'; while [ ! -e '${release}' ]; do sleep 0.05; done; echo "ruff 0.17.6"; exit 0; fi\necho ruff >> '${ran}'; echo '[]'`,
    vulture: `if [ "$1" = "--version" ]; then echo "vulture 2.16"; exit 0; fi\necho vulture >> '${ran}'`,
  });
  const scan = execa("node", [JACKPOOL, "scan", "--all", "--tools", "ruff,vulture"], {
    cwd: root,
    reject: false,
    env: { PATH: [bin, SYSTEM_PATH].join(path.delimiter) },
  });
  try {
    await waitFor(() => existsSync(probing) && readFileSync(probing, "utf8").endsWith("\n"));
    scan.kill("SIGINT");
    const result = await scan;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain("jackpool: interrupted, stopping tools");
    expect(existsSync(ran)).toBe(false);
    expect(await running(Number(readFileSync(probing, "utf8")))).toBe(false);
  } finally {
    await writeFile(release, "");
  }
});

it("SIGKILL of jackpool while a tool runs: the tool's process group is killed by the watchdog within seconds", async () => {
  const root = await projectCopy(SAMPLE_PROJECT);
  const pids = path.join(await tempDir(), "pids");
  // The tool and a grandchild, each recording its pid, then waiting for ever (well past any test).
  const bin = await fakeTools({
    codespell: `if [ "$1" = "--version" ]; then echo "2.4.3"; exit 0; fi\nsleep 600 & echo $! >> '${pids}'; echo $$ >> '${pids}'; wait`,
  });
  const scan = execa("node", [JACKPOOL, "scan", "--all", "--tools", "codespell"], {
    cwd: root,
    reject: false,
    env: { PATH: [bin, VENV_BIN, SYSTEM_PATH].join(path.delimiter) },
  });
  await waitFor(() => existsSync(pids) && lineCount(pids) >= 2);
  const started = (await readFile(pids, "utf8")).trim().split("\n").map(Number);
  try {
    scan.kill("SIGKILL");
    expect((await scan).signal).toBe("SIGKILL");
    // Seconds on a quiet machine; a generous bound, as a loaded one schedules the watchdog late.
    for (const pid of started) expect(await running(pid, 30_000), `pid ${pid} outlived jackpool`).toBe(false);
  } finally {
    for (const pid of started) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone, as it should be
      }
    }
  }
});
