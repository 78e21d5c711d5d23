import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MahavishnuClient } from "../src/backends/mahavishnu/client.js";
import { RateLimitedError } from "../src/backends/mahavishnu/errors.js";
import { probeMahavishnu } from "../src/backends/mahavishnu/probe.js";
import { until } from "./backend-contract.js";
import { VENV_BIN, fakeTools, scanJson, tempDir, writeFiles } from "./helpers.js";
import { realTierSkipped, startRealServer, type RealServer } from "./mahavishnu-real-server.js";
import { poolIds, sampleWithServer, timeless } from "./mahavishnu-project.js";
import { rawMcp } from "./raw-mcp.js";
import { POOL_ID, POOL_TOOLS } from "./mahavishnu-pool-tools.js";

/**
 * The real Mahavishnu 0.11.0 server from PyPI (scripts/setup-mahavishnu-real.sh), its workers in tmux terminals
 * (test/mahavishnu-real-server.ts says what the harness provides). Slow: a server takes seconds to a minute to
 * start, and its rate limit is 60 calls per 60 s with no way to change it. `npm run test:mahavishnu-real`.
 */

/** The real server's quota per caller_kind and window. */
const QUOTA = 60;

const skipped = realTierSkipped();

/** Every tool of the scans logs where it ran: the server's shells inherit JACKPOOL_RAN_ON=pool, jackpool's threads do not. */
async function toolsLoggingWhereTheyRun(): Promise<{ bin: string; ranOn(): Promise<string[]> }> {
  const log = path.join(await tempDir(), "ran-on");
  const tools = ["ruff", "refurb", "complexipy", "vulture", "codespell"];
  const bin = await fakeTools(
    Object.fromEntries(
      tools.map((tool) => [
        tool,
        `[ "$1" = --version ] || echo "${tool} \${JACKPOOL_RAN_ON:-local}" >> '${log}'; exec '${path.join(VENV_BIN, tool)}' "$@"`,
      ]),
    ),
  );
  return { bin, ranOn: async () => [...new Set((await readFile(log, "utf8")).trim().split("\n"))].sort() };
}

describe.skipIf(skipped !== null)(`the real Mahavishnu 0.11 server${skipped === null ? "" : ` (skipped: ${skipped})`}`, () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startRealServer({ env: { JACKPOOL_RAN_ON: "pool" } });
    console.log(`real Mahavishnu 0.11.0 answered /health ${server.startMs} ms after it was started`);
  });

  it("the probe finds it, reads its version and initializes a session; it has twelve pool tools", async () => {
    const started = performance.now();
    const probe = await probeMahavishnu(server.url);
    const probeMs = performance.now() - started;
    expect(probe).toMatchObject({ available: true, version: "0.11.0" });
    if (probe.available) await probe.client.disconnect();
    expect(probeMs).toBeLessThan(2300); // /health within 300 ms, initialize within 2 s
    const raw = await rawMcp(server.url);
    try {
      expect((await raw.tools()).filter((tool) => POOL_TOOLS.includes(tool))).toEqual(POOL_TOOLS);
    } finally {
      await raw.close();
    }
  });

  it("spawns, lists, reports health, monitors and closes pools with the contract's shapes", async () => {
    const client = await MahavishnuClient.connect(server.url);
    try {
      const spawned = await client.spawn({ name: "scanners", min_workers: 1, max_workers: 3, worker_type: "terminal-shell" });
      expect(spawned).toEqual({
        pool_id: expect.stringMatching(POOL_ID) as unknown,
        pool_type: "mahavishnu",
        name: "scanners",
        status: "created",
        min_workers: 1,
        max_workers: 3,
      });
      const info = {
        pool_id: spawned.pool_id,
        pool_type: "mahavishnu",
        name: "scanners",
        status: "running",
        workers: 1,
        min_workers: 1,
        max_workers: 3,
      };
      expect(await client.list()).toEqual([info]);
      expect(await client.health()).toEqual({ status: "healthy", pools_active: 1, pools: [info] });
      expect(await client.monitor([spawned.pool_id, "pool_gone"])).toEqual({
        [spawned.pool_id]: { memory_count: 1, status: "running" },
        pool_gone: { memory_count: 0, status: "not_found" },
      });
      // The real server spawns an AI worker type whose CLI is not installed.
      expect((await client.spawn({ worker_type: "terminal-qwen" })).status).toBe("created");
      await client.close(spawned.pool_id);
      expect((await client.list()).map((pool) => pool.pool_id)).not.toContain(spawned.pool_id);
      await client.spawn({ worker_type: "terminal-shell" });
      expect(await client.closeAll()).toEqual({ pools_closed: 2, status: "all_closed" });
      expect(await client.list()).toEqual([]);
    } finally {
      await client.disconnect();
    }
  });

  it("pool_execute returns at once on a `$` prompt, unless the typed line wraps; after `error:` on the screen, at once as failed; the shell keeps its state", async () => {
    const dir = await tempDir();
    const client = await MahavishnuClient.connect(server.url);
    try {
      const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
      await client.execute(pool_id, `cd '${dir}'; export JACKPOOL_REAL_STATE=kept`, 60);
      // Once the shell shows its prompt, the server's first look at the screen (it looks every 0.5 s) sees the `$`.
      await until(async () => (await client.execute(pool_id, "true", 60)).duration < 0.5);
      const started = Date.now();
      const answer = await client.execute(pool_id, "sleep 3; echo hello > first", 60);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(answer).toMatchObject({ pool_id, status: "completed", error: null });
      expect(existsSync(path.join(dir, "first"))).toBe(false); // the answer did not wait for the command
      await until(() => existsSync(path.join(dir, "first")));
      // A line longer than the 80-column terminal wraps: its last row has no `$`, and the answer waits for the next
      // prompt (jackpool's command lines are that long).
      const wrapped = await client.execute(pool_id, `sleep 2; echo ${"x".repeat(80)} > second`, 60);
      expect(wrapped.duration).toBeGreaterThanOrEqual(2);
      expect(readFileSync(path.join(dir, "second"), "utf8")).toBe(`${"x".repeat(80)}\n`);
      await client.execute(pool_id, `echo "$JACKPOOL_REAL_STATE $PWD" > state; echo 'error: a task'`, 60);
      await until(async () => (await client.execute(pool_id, "true", 60)).status === "failed");
      const later = await client.execute(pool_id, "echo ran > later", 60);
      expect(later).toMatchObject({ status: "failed", error: "Error detected in output" });
      await until(() => existsSync(path.join(dir, "later")));
      expect(readFileSync(path.join(dir, "state"), "utf8")).toBe(`kept ${dir}\n`);
      await client.close(pool_id);
    } finally {
      await client.disconnect();
    }
  });

  it("rate-limits only the execute tools, 60 per 60 s per caller_kind: pool_execute one unit, pool_route_execute two of the caller's and one of `unknown`", async () => {
    const impatient = await MahavishnuClient.connect(server.url, { callerKind: "claude_code", maxRateLimitWaitMs: 0 });
    const raw = await rawMcp(server.url);
    try {
      const { pool_id } = await impatient.spawn({ worker_type: "terminal-shell" });
      for (let call = 0; call < QUOTA / 2; call++) await impatient.routeExecute("true", { timeoutSec: 60 });
      const limited = await impatient.routeExecute("true", { timeoutSec: 60 }).catch((error: unknown) => error);
      expect(limited).toBeInstanceOf(RateLimitedError);
      expect(limited).toMatchObject({
        code: "MHV-006",
        message: "pool_route_execute: [MHV-006] Rate limit exceeded: caller_kind=claude_code",
      });
      // The thirty routed calls also charged `unknown` thirty units (execute_on_pool): thirty more fill it.
      for (let call = 0; call < QUOTA / 2; call++)
        expect(await raw.call("pool_execute", { pool_id, prompt: "true", caller_kind: "unknown" })).toMatchObject({ status: "completed" });
      expect(await raw.call("pool_execute", { pool_id, prompt: "true", caller_kind: "unknown" })).toEqual({
        pool_id,
        status: "rate_limited",
        caller_kind: "unknown",
        retry_after_seconds: expect.any(Number) as unknown,
        error: expect.stringMatching(/^\[MHV-006\] Rate limit exceeded: caller_kind=unknown\n\nRecovery steps:/) as unknown,
      });
      for (let call = 0; call < 5; call++)
        expect(await raw.call("pool_list", {})).toEqual(expect.arrayContaining([expect.objectContaining({ pool_id })]));
      // jackpool's client waits the window out.
      const waits: string[] = [];
      const patient = await MahavishnuClient.connect(server.url, { callerKind: "unknown", onRateLimited: (tool) => waits.push(tool) });
      try {
        expect((await patient.execute(pool_id, "true", 60)).status).toBe("completed");
        expect(waits).toEqual(["pool_execute"]);
      } finally {
        await patient.disconnect();
      }
      await impatient.close(pool_id);
    } finally {
      await raw.close();
      await impatient.disconnect();
    }
  });

  it("a scan with pooled tools on its pools gives the all-local report; every pool it spawned is closed", async () => {
    const tools = await toolsLoggingWhereTheyRun();
    const root = await sampleWithServer(server.url);
    const before = await poolIds(server.url);
    const remote = await scanJson(root, ["--all", "--no-cache", "--backend", "mahavishnu", "--jobs", "2", "--verbose"], {
      pathDirs: [tools.bin],
    });
    const local = await scanJson(root, ["--all", "--no-cache", "--backend", "local", "--jobs", "2"], { pathDirs: [tools.bin] });
    expect(remote.run.exitCode).toBe(1);
    expect(remote.report.summary.findings).toBe(10);
    expect(timeless(remote.report)).toEqual(timeless(local.report));
    expect(await tools.ranOn()).toEqual([
      "codespell local",
      "complexipy local",
      "complexipy pool",
      "refurb local",
      "refurb pool",
      "ruff local",
      "vulture local",
    ]);
    expect(remote.run.stderr).toContain(`mahavishnu: Mahavishnu 0.11.0 at ${server.url}\n`);
    expect(remote.run.stderr).not.toContain("moved to the local pool");
    expect(await poolIds(server.url)).toEqual(before);
  });

  it("a server killed mid-scan: the task running in its terminal still delivers, the rest run locally, the report is complete", async () => {
    const doomed = await startRealServer();
    const root = await sampleWithServer(doomed.url);
    const gate = await tempDir();
    // refurb's first scan run (the slowest task, so the first to start) blocks until released; with one pool,
    // every other task waits behind it.
    const bin = await fakeTools({
      refurb: `if [ "$1" != --version ] && [ ! -e '${gate}/first' ]; then : > '${gate}/first'; while [ ! -e '${gate}/release' ]; do sleep 0.02; done; fi; exec '${path.join(VENV_BIN, "refurb")}' "$@"`,
    });
    const scanning = scanJson(root, ["--all", "--no-cache", "--backend", "mahavishnu", "--jobs", "1"], { pathDirs: [bin] });
    await until(() => existsSync(path.join(gate, "first")));
    await doomed.kill();
    await writeFiles(gate, { release: "" });
    const remote = await scanning;
    const local = await scanJson(root, ["--all", "--no-cache", "--backend", "local"], { pathDirs: [bin] });
    expect(remote.run.exitCode).toBe(1);
    expect(remote.report.findings).toEqual(local.report.findings);
    expect(remote.report.tools.map((tool) => [tool.tool, tool.status, tool.findings])).toEqual(
      local.report.tools.map((tool) => [tool.tool, tool.status, tool.findings]),
    );
    expect(remote.run.stderr).toMatch(
      /^jackpool: warning: the Mahavishnu server stopped answering \(pool_execute: .+\): the rest of the scan runs on the local pool$/m,
    );
    // The blocked refurb task's runner was in a tmux terminal, which outlived the server: it delivered. The task
    // handed over next found no server, and says so.
    expect(remote.report.tools.flatMap((tool) => tool.notes)).toEqual([
      expect.stringMatching(
        /^complexipy: retried once because mahavishnu pool mahavishnu_\d+: the task never started \(pool_execute: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+\); moved to the local pool$/,
      ),
    ]);
    await doomed.stop();
  });

  it("under root's `#` prompt each answer waits for the server's watch to time out, and the scan's tasks all complete on the pools", async () => {
    const rooted = await startRealServer({ prompt: "root", env: { JACKPOOL_RAN_ON: "pool" } });
    // The scan's two spawns are the server's first calls: it starts its terminal backend twice (its start-once
    // check has no lock), and both pools still come up.
    const tools = await toolsLoggingWhereTheyRun();
    const root = await sampleWithServer(rooted.url);
    const remote = await scanJson(root, ["--all", "--no-cache", "--backend", "mahavishnu", "--jobs", "2"], { pathDirs: [tools.bin] });
    expect(remote.run.exitCode).toBe(1);
    expect(remote.report.summary.findings).toBe(10);
    expect(remote.run.stderr).toBe("");
    expect((await tools.ranOn()).filter((line) => line.endsWith("pool"))).toEqual(["complexipy pool", "refurb pool"]);
    const client = await MahavishnuClient.connect(rooted.url);
    try {
      const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
      expect(await client.execute(pool_id, "true", 1)).toMatchObject({ status: "timeout", output: "", error: "Task timed out" });
    } finally {
      await client.disconnect();
    }
    await rooted.stop();
  });
});
