import { existsSync } from "node:fs";
import { appendFile, mkdir, readFile, readdir, readlink, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { execa } from "execa";
import type { Report } from "../src/report/report.js";
import {
  JACKPOOL,
  SAMPLE_PROJECT,
  SYSTEM_PATH,
  VENV_BIN,
  cachedMatchesUncached,
  explained,
  git,
  jackpool,
  projectCopy,
  running,
  scanJson,
} from "./helpers.js";

/** The daemon's status as `jackpool daemon status --json` prints it (null: none runs). */
interface Status {
  pid: number;
  state: "idle" | "queued" | "running";
  changesSeen: number;
  runs: { finished: number; cancelled: number; failed: number };
  rssBytes: number;
  watching: { directories: number; files: number };
  lastFinished: { phase: string; tasks: number; fromMemory: number; error?: string } | null;
}

/** Daemons a test started: killed after it whatever happened, so a failing test leaks nothing. */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/**
 * The sample project with fewer tools, to keep each test well under a minute on two cores: per-file tools (ruff,
 * codespell, complexipy), one whose keys follow imports (refurb), and a whole-project one (vulture); `light`: ruff and
 * vulture only, for tests about the daemon's life rather than its results.
 */
async function project(daemon: Record<string, unknown> = {}, { light = false } = {}): Promise<string> {
  const root = await projectCopy(SAMPLE_PROJECT, { commit: false });
  const config = await readFile(path.join(root, ".crackerjack.yaml"), "utf8");
  const settings = Object.entries({ debounce_ms: 200, quiet_ms: 800, ...daemon })
    .map(([key, value]) => `    ${key}: ${String(value)}\n`)
    .join("");
  await writeFile(
    path.join(root, ".crackerjack.yaml"),
    config
      .replace(/^ {2}pooled_tools: .*$/m, `  pooled_tools: [${light ? "" : "refurb, complexipy"}]`)
      .replace(/^ {2}local_tools: .*$/m, `  local_tools: [ruff, vulture${light ? "" : ", codespell"}]`) + `  daemon:\n${settings}`,
  );
  await git(root, "init", "-q", "-b", "main");
  await git(root, "add", "-A");
  await git(root, "commit", "-qm", "initial");
  return root;
}

async function status(root: string): Promise<Status | null> {
  const run = await jackpool(root, ["daemon", "status", "--json"]);
  return JSON.parse(run.stdout) as Status | null;
}

async function start(root: string): Promise<Status> {
  const run = await jackpool(root, ["daemon", "start"]);
  expect(run.stderr).toBe("");
  expect(run.exitCode).toBe(0);
  const now = await status(root);
  if (now === null) throw new Error(`no daemon after start: ${run.stdout}`);
  started.push(now.pid);
  return now;
}

/** Polls the daemon's status until `done` says so (at most `ms`). */
async function until(root: string, done: (status: Status) => boolean, ms = 45_000): Promise<Status> {
  const deadline = Date.now() + ms;
  for (;;) {
    const now = await status(root);
    if (now !== null && done(now)) return now;
    if (Date.now() > deadline) throw new Error(`daemon never got there: ${JSON.stringify(now)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Processes (other than zombies) whose working directory is in `root`: tools the daemon started run there. */
async function processesIn(root: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const cwd = await readlink(`/proc/${entry}/cwd`).catch(() => "");
    if ((cwd === root || cwd.startsWith(`${root}/`)) && (await running(Number(entry), 0))) pids.push(Number(entry));
  }
  return pids;
}

describe("daemon", () => {
  it("starts, says what it watches, refuses a second start in one line, and stops with nothing left running", async () => {
    const root = await project({}, { light: true });
    const first = await start(root);
    expect(first.watching.files).toBeGreaterThanOrEqual(10);
    const second = await jackpool(root, ["daemon", "start"]);
    expect(second.exitCode).toBe(2);
    expect(second.stderr.trim().split("\n")).toEqual([
      `jackpool: a daemon already runs for ${root} (pid ${first.pid}); jackpool daemon stop ends it`,
    ]);
    const text = await jackpool(root, ["daemon", "status"]);
    expect(text.stdout).toMatch(/^watching: \d+ directories, \d+ files/m);
    expect(text.stdout).toMatch(/^work: (idle|queued|running)/m);
    expect(text.stdout).toMatch(/^memory: \d+ MiB resident$/m);
    // Stopped while it catches up (tools running): the daemon and every tool it started are gone.
    const stop = await jackpool(root, ["daemon", "stop"]);
    expect(stop.stdout).toBe(`jackpool: daemon stopped (pid ${first.pid})`);
    expect(await running(first.pid)).toBe(false);
    expect(await processesIn(root)).toEqual([]);
    expect(existsSync(path.join(root, ".crackerjack", "daemon.sock"))).toBe(false);
    const none = await jackpool(root, ["daemon", "status"]);
    expect(none.exitCode).toBe(3);
    expect(none.stdout).toBe(`jackpool: no daemon runs for ${root}`);
  });

  it("two daemons started at once: one runs, the other refuses in one line", async () => {
    const root = await project({}, { light: true });
    const env = { PATH: [VENV_BIN, SYSTEM_PATH].join(path.delimiter), NO_COLOR: "1" };
    const both = [0, 1].map(() => execa(process.execPath, [JACKPOOL, "daemon", "run"], { cwd: root, env, reject: false, stdin: "ignore" }));
    const first = await Promise.race(both.map(async (child, index) => ({ index, result: await child })));
    expect(first.result.exitCode).toBe(2);
    expect(first.result.stderr).toMatch(new RegExp(`^jackpool: a daemon already runs for ${root} \\(pid \\d+\\)$`));
    const winner = both[1 - first.index];
    if (winner?.pid === undefined) throw new Error("no second daemon");
    started.push(winner.pid);
    const now = await until(root, () => true, 30_000);
    expect(now.pid).toBe(winner.pid);
    await jackpool(root, ["daemon", "stop"]);
    expect((await winner).exitCode).toBe(0);
  });

  it("a daemon killed with SIGKILL leaves a stale socket: the scan runs by itself with one note, and a new daemon replaces it", async () => {
    const root = await project({}, { light: true });
    const daemon = await start(root);
    process.kill(daemon.pid, "SIGKILL");
    expect(await running(daemon.pid)).toBe(false);
    expect(existsSync(path.join(root, ".crackerjack", "daemon.sock"))).toBe(true);
    const { report, run } = await scanJson(root, ["--all", "--tools", "ruff"]);
    expect(run.stderr.trim().split("\n")).toEqual([
      "jackpool: the daemon is not running (it left a stale socket, now removed); scanning without it",
    ]);
    // The scan ran: ruff's findings are there (from memory or run again, whatever the daemon had done before it died).
    expect(run.exitCode).toBe(1);
    expect(report.findings.some((finding) => finding.tool === "ruff")).toBe(true);
    expect(existsSync(path.join(root, ".crackerjack", "daemon.sock"))).toBe(false);
    // The next scan has nothing to say, and a new daemon starts.
    expect((await scanJson(root, ["--all", "--tools", "ruff"])).run.stderr).toBe("");
    const again = await start(root);
    expect(again.pid).not.toBe(daemon.pid);
    await jackpool(root, ["daemon", "stop"]);
    expect(await processesIn(root)).toEqual([]);
  });

  it("a socket that answers nonsense: the scan runs by itself with one note", async () => {
    const root = await project({}, { light: true });
    const socket = path.join(root, ".crackerjack", "daemon.sock");
    await mkdir(path.dirname(socket), { recursive: true });
    const connections: net.Socket[] = [];
    const liar = net.createServer((connection) => {
      connections.push(connection);
      connection.end("certainly not JSON\n");
    });
    await new Promise<void>((resolve) => liar.listen(socket, resolve));
    try {
      const { report, run } = await scanJson(root, ["--all", "--tools", "ruff"]);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(
        /^jackpool: the daemon did not answer usefully \(an answer that is not JSON, after \d+\.\d s\); scanning without it$/m,
      );
      expect(report.summary.tasks).toBe(1);
    } finally {
      for (const connection of connections) connection.destroy();
      await new Promise<void>((resolve) => liar.close(() => resolve()));
    }
  });

  it("after an edit it catches up: a scan then runs nothing, and reports what an uncached scan reports", async () => {
    const root = await project();
    await start(root);
    await until(root, (now) => now.state === "idle" && now.runs.finished >= 1);
    await appendFile(path.join(root, "src/inventory/legacy.py"), "\n\ndef extra(values):\n    return [v for v in values]\n");
    const caught = await until(root, (now) => now.changesSeen >= 1 && now.state === "idle");
    expect(caught.lastFinished?.error).toBeUndefined();
    const { report, run } = await cachedMatchesUncached(root);
    expect(report.summary.tasks).toBe(0);
    expect(explained(run.stderr, "miss", "ruff")).toEqual([]);
    expect(explained(run.stderr, "hit", "ruff")).toContain("src/inventory/legacy.py");
    expect(explained(run.stderr, "hit", "vulture")).toEqual(["(whole"]);
    await jackpool(root, ["daemon", "stop"]);
  });

  it("a scan while the daemon works waits for that work instead of running it again, and hurries it; the staged scan hits too", async () => {
    // The whole-project tools would wait for 10 minutes of quiet: the scan surely asks while that work is still
    // queued, and it ends at all only because a waiting scan ends the quiet period.
    const root = await project({ quiet_ms: 600_000 });
    await start(root);
    await until(root, (now) => now.state === "idle" && now.runs.finished >= 1, 60_000);
    await appendFile(path.join(root, "src/inventory/models.py"), "\n\ndef another(values):\n    return [v for v in values]\n");
    await until(root, (now) => now.changesSeen >= 1, 10_000);
    // On a terminal (script(1) gives it one), the scan says what it waits for; the report goes to a file.
    const reportFile = path.join(root, ".crackerjack", "waited.json");
    const command = [process.execPath, JACKPOOL, "scan", "--all", "--verbose", "--format", `json:${reportFile}`];
    const terminal = await execa("script", ["-qec", command.map((word) => `'${word}'`).join(" "), "/dev/null"], {
      cwd: root,
      reject: false,
      env: { NO_COLOR: "1", PATH: [VENV_BIN, SYSTEM_PATH].join(path.delimiter) },
      stdin: "ignore",
    });
    const output = terminal.stdout.replace(/\r\n/g, "\n");
    expect(output).toMatch(/^jackpool: waiting for the daemon's work: (.+ \(.+\)|.+, queued)$/m);
    expect(output).toMatch(/^daemon \(pid \d+\): waited \d+\.\d s for its work$/m);
    const report = JSON.parse(await readFile(reportFile, "utf8")) as Report;
    expect(report.summary.tasks).toBe(0);
    // The hook's scan checks the index: the same bytes, so the same keys.
    await git(root, "add", "src/inventory/models.py");
    const staged = await scanJson(root, ["--staged"]);
    expect(staged.report.summary.tasks).toBe(0);
    expect(staged.report.summary.fromMemory).toBeGreaterThan(0);
    await jackpool(root, ["daemon", "stop"]);
  });

  it("a branch switch that adds and then removes 300 files: it catches up in a few runs, and scans then run nothing", async () => {
    const root = await project({}, { light: true });
    await git(root, "checkout", "-q", "-b", "wide");
    await mkdir(path.join(root, "src/generated"), { recursive: true });
    for (let index = 0; index < 300; index++) {
      const body = `import os\n\n\ndef value_${index}(factor):\n    return factor * ${index}\n`;
      await writeFile(path.join(root, `src/generated/module_${index}.py`), body);
    }
    await git(root, "add", "-A");
    await git(root, "commit", "-qm", "300 modules");
    await git(root, "checkout", "-q", "main");
    const before = await start(root);
    await until(root, (now) => now.state === "idle" && now.runs.finished >= 1);

    await git(root, "checkout", "-q", "wide");
    const wide = await until(root, (now) => now.changesSeen >= 300 && now.state === "idle", 90_000);
    expect(wide.lastFinished?.error).toBeUndefined();
    // 300 changes, seen at once, are a handful of runs, not one per file.
    expect(wide.runs.finished + wide.runs.cancelled).toBeLessThan(12);
    const onWide = await cachedMatchesUncached(root);
    expect(onWide.report.summary.tasks).toBe(0);
    expect(onWide.report.findings).toContainEqual(
      expect.objectContaining({ tool: "ruff", rule: "F401", path: "src/generated/module_123.py", line: 1 }),
    );

    await git(root, "checkout", "-q", "main");
    const back = await until(root, (now) => now.changesSeen >= 600 && now.state === "idle", 90_000);
    expect(back.lastFinished?.error).toBeUndefined();
    const onMain = await cachedMatchesUncached(root);
    expect(onMain.report.summary.tasks).toBe(0);
    expect(onMain.report.findings.filter((finding) => finding.path.startsWith("src/generated/"))).toEqual([]);
    expect(back.pid).toBe(before.pid);
    await jackpool(root, ["daemon", "stop"]);
    expect(await processesIn(root)).toEqual([]);
  });

  it("a file saved every 100 ms: the work waits for the saves to stop, then one catch-up gives the last save's findings", async () => {
    const root = await project({}, { light: true });
    await start(root);
    await until(root, (now) => now.state === "idle" && now.runs.finished >= 1);
    const file = path.join(root, "src/inventory/legacy.py");
    const original = await readFile(file, "utf8");
    const saves = 40;
    for (let save = 1; save <= saves; save++) {
      await writeFile(file, `${original}\n\ndef saved_${save}(values):\n    import json\n    return values\n`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const caught = await until(root, (now) => now.changesSeen >= 10 && now.state === "idle");
    expect(caught.lastFinished?.error).toBeUndefined();
    // Saves 100 ms apart never leave the 200 ms quiet the work waits for (debounce_ms): no run per save (a loaded machine may let
    // a few start, each cancelled by the next save).
    expect(caught.runs.finished).toBeLessThan(1 + 6);
    const { report } = await cachedMatchesUncached(root);
    expect(report.summary.tasks).toBe(0);
    const imports = report.findings.filter((finding) => finding.path === "src/inventory/legacy.py" && finding.rule === "F401");
    expect(imports.map((finding) => finding.message)).toContainEqual(expect.stringContaining("json"));
    const lines = original.split("\n").length;
    expect(imports.map((finding) => finding.line)).toContain(lines + 3);
    await jackpool(root, ["daemon", "stop"]);
    expect(await processesIn(root)).toEqual([]);
  });

  it("exits when its configuration file changes", async () => {
    const root = await project({}, { light: true });
    const daemon = await start(root);
    await appendFile(path.join(root, ".crackerjack.yaml"), "  exclude: [docs/]\n");
    const deadline = Date.now() + 15_000;
    while ((await running(daemon.pid, 0)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await running(daemon.pid, 0)).toBe(false);
    expect(await readFile(path.join(root, ".crackerjack", "daemon.log"), "utf8")).toMatch(/stopping: the configuration file changed/);
    expect(await processesIn(root)).toEqual([]);
  });

  it("exits when a client of another jackpool version asks it to wait", async () => {
    const root = await project({}, { light: true });
    const daemon = await start(root);
    const answer = await new Promise<string>((resolve, reject) => {
      const connection = net.createConnection(path.join(root, ".crackerjack", "daemon.sock"));
      let text = "";
      connection.setEncoding("utf8");
      connection.on("connect", () => connection.write(`${JSON.stringify({ op: "wait", version: "0.0.1-other", config: "x" })}\n`));
      connection.on("data", (chunk: string) => (text += chunk));
      connection.on("close", () => resolve(text));
      connection.on("error", reject);
    });
    expect(JSON.parse(answer)).toMatchObject({ ok: false, reason: "version" });
    const deadline = Date.now() + 15_000;
    while ((await running(daemon.pid, 0)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await running(daemon.pid, 0)).toBe(false);
    expect(await readFile(path.join(root, ".crackerjack", "daemon.log"), "utf8")).toMatch(
      /stopping: a client of jackpool 0\.0\.1-other asked/,
    );
  });

  it("exits when idle for idle_seconds, leaving no process and no socket", async () => {
    const root = await project({ idle_seconds: 3 }, { light: true });
    const daemon = await start(root);
    const deadline = Date.now() + 30_000;
    while ((await running(daemon.pid, 0)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await running(daemon.pid, 0)).toBe(false);
    expect(await readFile(path.join(root, ".crackerjack", "daemon.log"), "utf8")).toMatch(/stopping: idle for 3 s/);
    expect(existsSync(path.join(root, ".crackerjack", "daemon.sock"))).toBe(false);
    expect(await processesIn(root)).toEqual([]);
  });

  it("a tree it cannot watch: start fails in one line, and auto scans run without a daemon, saying why once", async () => {
    const root = await project({ mode: "auto" }, { light: true });
    // strace makes the kernel refuse every inotify watch, as when the system's watches are used up (ENOSPC).
    const env = { PATH: [VENV_BIN, SYSTEM_PATH].join(path.delimiter), NO_COLOR: "1" };
    await mkdir(path.join(root, ".crackerjack"), { recursive: true });
    const refused = await execa(
      "strace",
      [
        "-f",
        "-qq",
        "-o",
        path.join(root, ".crackerjack", "strace.log"),
        "-e",
        "trace=inotify_add_watch",
        "-e",
        "inject=inotify_add_watch:error=ENOSPC",
      ].concat(process.execPath, JACKPOOL, "daemon", "start"),
      { cwd: root, env, reject: false, stdin: "ignore" },
    );
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.trim().split("\n")).toEqual([
      `jackpool: the daemon cannot watch ${root}: ENOSPC: System limit for number of file watchers reached, watch '${root}'`,
    ]);
    expect(await processesIn(root)).toEqual([]);
    // A scan runs by itself and says why once, instead of starting a daemon that cannot work; the next says nothing.
    const first = await scanJson(root, ["--all", "--tools", "ruff"]);
    expect(first.run.stderr.trim().split("\n")).toEqual([
      `jackpool: no daemon for this project: it cannot watch the tree (ENOSPC: System limit for number of file watchers reached, watch '${root}'); scanning without it`,
    ]);
    expect(first.report.findings.some((finding) => finding.tool === "ruff")).toBe(true);
    expect((await scanJson(root, ["--all", "--tools", "ruff"])).run.stderr).toBe("");
    expect(await status(root)).toBeNull();
    // Asked for by name, a daemon tries again, and watches.
    const daemon = await start(root);
    expect(daemon.watching.files).toBeGreaterThanOrEqual(10);
    await jackpool(root, ["daemon", "stop"]);
  });

  it("daemon: auto starts one on the first scan", async () => {
    const root = await project({ mode: "auto" }, { light: true });
    const { run } = await scanJson(root, ["--all", "--tools", "ruff"]);
    expect(run.stderr).toMatch(/^jackpool: started a daemon for this project \(pid (\d+)\); it computes ahead for the next scans$/m);
    const pid = Number(/pid (\d+)/.exec(run.stderr)?.[1]);
    started.push(pid);
    const now = await until(root, (status) => status.pid === pid, 30_000);
    expect(now.pid).toBe(pid);
    await jackpool(root, ["daemon", "stop"]);
    expect(await running(pid)).toBe(false);
  });
});
