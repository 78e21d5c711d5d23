import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MahavishnuClient } from "../src/backends/mahavishnu/client.js";
import { PoolNotFoundError, PoolToolError, RateLimitedError, ServerUnavailableError } from "../src/backends/mahavishnu/errors.js";
import { probeMahavishnu } from "../src/backends/mahavishnu/probe.js";
import { until } from "./backend-contract.js";
import { fakeTools, tempDir, writeFiles } from "./helpers.js";
import { rawMcp } from "./raw-mcp.js";
import { freePort, startStandin } from "./standin-server.js";
import { POOL_ID, POOL_TOOLS } from "./mahavishnu-pool-tools.js";

async function connected(
  env: Record<string, string> = {},
  options = {},
): Promise<{ client: MahavishnuClient; url: string; kill: () => Promise<void> }> {
  const server = await startStandin(env);
  const client = await MahavishnuClient.connect(server.url, options);
  return { client, url: server.url, kill: () => server.kill() };
}

describe("Mahavishnu client against the stand-in server", () => {
  it("spawns, lists, monitors, scales and closes pools with the contract's shapes", async () => {
    const { client } = await connected();
    const spawned = await client.spawn({ name: "scanners", min_workers: 1, max_workers: 3, worker_type: "terminal-shell" });
    expect(spawned).toEqual({
      pool_id: spawned.pool_id,
      pool_type: "mahavishnu",
      name: "scanners",
      status: "created",
      min_workers: 1,
      max_workers: 3,
    });
    expect(spawned.pool_id).toMatch(POOL_ID);
    expect(await client.list()).toEqual([
      {
        pool_id: spawned.pool_id,
        pool_type: "mahavishnu",
        name: "scanners",
        status: "running",
        workers: 1,
        min_workers: 1,
        max_workers: 3,
      },
    ]);
    expect(await client.scale(spawned.pool_id, 3)).toEqual({
      pool_id: spawned.pool_id,
      target_workers: 3,
      actual_workers: 3,
      status: "scaled",
    });
    await expect(client.scale(spawned.pool_id, 4)).rejects.toThrow(`pool_scale: Target 4 outside range [1, 3]`);
    // memory_count is one collected result per worker.
    expect(await client.monitor([spawned.pool_id, "pool_gone"])).toEqual({
      [spawned.pool_id]: { memory_count: 3, status: "running" },
      pool_gone: { memory_count: 0, status: "not_found" },
    });
    const health = await client.health();
    expect(health.status).toBe("healthy");
    expect(health.pools_active).toBe(1);
    await client.close(spawned.pool_id);
    await client.close("pool_never_was"); // closing an unknown id is not an error
    expect(await client.list()).toEqual([]);
    await client.spawn({ worker_type: "terminal-shell" });
    await client.spawn({ worker_type: "terminal-shell" });
    expect(await client.closeAll()).toEqual({ pools_closed: 2, status: "all_closed" });
    expect(await client.searchMemory("ruff")).toEqual([]);
    await client.disconnect();
  });

  it("has the real server's twelve pool tools; dispatch_to_pool queues, and workflow_result finds nothing without Dhara", async () => {
    const { url } = await connected();
    const raw = await rawMcp(url);
    try {
      expect(await raw.tools()).toEqual(POOL_TOOLS);
      await raw.call("pool_spawn", { worker_type: "terminal-shell" });
      const queued = (await raw.call("dispatch_to_pool", {
        prompt: "true",
        async_callback: true,
        caller_kind: "cli",
        parent_session_id: "s1",
      })) as { workflow_id: string };
      expect(queued).toEqual({
        workflow_id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
        status: "queued",
        caller_kind: "cli",
        parent_session_id: "s1",
      });
      expect(await raw.call("workflow_result", { workflow_id: queued.workflow_id })).toEqual({
        workflow_id: queued.workflow_id,
        status: "not_found",
      });
      expect(await raw.call("workflow_result", { workflow_id: "../etc" })).toEqual({
        workflow_id: "../etc",
        status: "invalid_workflow_id",
      });
    } finally {
      await raw.close();
    }
  });

  it("pool_execute returns at once, as the real server's does: the line a command is typed on already shows the `$` prompt", async () => {
    const dir = await tempDir();
    const marker = path.join(dir, "ran");
    const { client } = await connected();
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
    const started = Date.now();
    const ran = await client.execute(pool_id, `sleep 2; echo hello > '${marker}'`, 30);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(ran).toMatchObject({ pool_id, status: "completed", error: null });
    expect(Object.keys(ran).sort()).toEqual(["duration", "error", "output", "pool_id", "status", "worker_id"]);
    expect(existsSync(marker)).toBe(false); // the answer did not wait for the command
    await until(() => existsSync(marker) && readFileSync(marker, "utf8") === "hello\n");
  });

  it("once `error:` is on a worker's screen every later task returns at once as failed, and still runs", async () => {
    const dir = await tempDir();
    const { client } = await connected();
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
    // The typed line shows the `$`, so the answer comes at once: "completed" if the error text was not on the screen
    // yet when the server looked, "failed" if printf was quicker (a race the real server has too).
    expect(["completed", "failed"]).toContain((await client.execute(pool_id, `printf 'ERROR: disk on fire\\n'`, 30)).status);
    await until(async () => (await client.execute(pool_id, "true", 30)).status === "failed");
    const later = await client.execute(pool_id, `echo ran > '${path.join(dir, "later")}'`, 30);
    expect(later).toMatchObject({ status: "failed", error: "Error detected in output" });
    expect(later.output).toContain("ERROR: disk on fire");
    await until(() => existsSync(path.join(dir, "later")));
  });

  it("each worker is one long-lived shell: cd and variables carry over between tasks; the screen wraps at 80 columns", async () => {
    const dir = await tempDir();
    const { client } = await connected();
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
    await client.execute(pool_id, `cd '${dir}'; export JACKPOOL_STANDIN_STATE=kept; printf '%0100d\\n' 0`, 30);
    await client.execute(pool_id, `echo "$JACKPOOL_STANDIN_STATE $PWD" > state`, 30);
    // The shell creates the file before it writes the line: wait for the line.
    await until(() => existsSync(path.join(dir, "state")) && readFileSync(path.join(dir, "state"), "utf8").endsWith("\n"));
    expect(readFileSync(path.join(dir, "state"), "utf8")).toBe(`kept ${dir}\n`);
    const screen = (await client.execute(pool_id, "true", 30)).output.split("\n");
    // The 100 zeros wrap at 80 columns. Under load the shell's next prompt can come before them on the screen (the tty
    // echoes a typed line as it arrives, while the server answers once it sees a `$`): the wrap is what counts.
    const wrapped = screen.findIndex((line) => line.length === 80 && line.endsWith("0".repeat(20)));
    expect(wrapped, screen.join("\n")).toBeGreaterThanOrEqual(0);
    const zeros = (/0+$/.exec(screen[wrapped] ?? "")?.[0].length ?? 0) + (/^0+/.exec(screen[wrapped + 1] ?? "")?.[0].length ?? 0);
    expect(zeros, screen.join("\n")).toBe(100);
  });

  it("runs concurrent tasks of one pool one after another in its first worker's shell", async () => {
    const dir = await tempDir();
    const log = path.join(dir, "log");
    const { client } = await connected();
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell", min_workers: 3 });
    const task = (name: string): Promise<{ worker_id: string }> =>
      client.execute(pool_id, `echo start-${name} >> '${log}'; sleep 0.3; echo end-${name} >> '${log}'`, 30);
    const results = await Promise.all([task("a"), task("b")]);
    expect(results[0].worker_id).toBe(results[1].worker_id);
    const lines = (): string[] => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);
    await until(() => lines().length === 4);
    expect([
      ["start-a", "end-a", "start-b", "end-b"],
      ["start-b", "end-b", "start-a", "end-a"],
    ]).toContainEqual(lines());
  });

  it("under root's `#` prompt a task is only answered at its timeout, while its command runs", async () => {
    const dir = await tempDir();
    const { client } = await connected({ MAHAVISHNU_STANDIN_PROMPT: "bash-5.2# " });
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
    const started = Date.now();
    const result = await client.execute(pool_id, `touch '${path.join(dir, "ran")}'; sleep 30`, 1);
    expect(result).toMatchObject({ status: "timeout", output: "", error: "Task timed out" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeLessThan(5000);
    await until(() => existsSync(path.join(dir, "ran")));
    await client.close(pool_id); // hangs up the sleep still running in the worker's terminal
  });

  it("turns failures into typed errors: pool not found, [MHV-...] errors, unknown types; spawns AI workers without their CLI", async () => {
    const { client } = await connected();
    const missing = await client.execute("pool_gone", "true", 5).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(PoolNotFoundError);
    expect(missing).toMatchObject({ poolId: "pool_gone", message: "pool_execute: Pool not found: pool_gone" });
    const buddy = await client.spawn({ pool_type: "session-buddy" }).catch((error: unknown) => error);
    expect(buddy).toBeInstanceOf(PoolToolError);
    expect(buddy).toMatchObject({
      code: "MHV-306",
      message: "pool_spawn: [MHV-306] External service 'session-buddy' error: not reachable at http://localhost:8678/mcp",
    });
    expect((buddy as PoolToolError).detail).toContain("\n\nRecovery steps:\n  1. External service is not responding");
    await expect(client.spawn({ pool_type: "kubernetes" })).rejects.toThrow("pool_spawn: Unknown pool type: kubernetes");
    await expect(client.spawn({ worker_type: "terminal-nano" })).rejects.toThrow("pool_spawn: Unknown worker type: terminal-nano");
    await expect(client.routeExecute("true")).rejects.toThrow("pool_route_execute: No pools available for routing");
    // The real server types `sh -lc 'claude ...'` into the terminal whether or not claude is installed.
    expect((await client.spawn({ worker_type: "terminal-claude" })).status).toBe("created");
  });

  it("types prompts into an AI worker's CLI, which the JSON result line completes", async () => {
    const dir = await tempDir();
    // A stand-in for the claude CLI: it reads prompts, runs `Execute: <command>` ones, and answers each with a result.
    const bin = await fakeTools({
      claude: `while IFS= read -r line; do case "$line" in "Execute: "*) sh -c "\${line#Execute: }";; esac; echo '{"type": "result", "subtype": "success", "parent_tool_use_id": null}'; done`,
    });
    // The worker starts it through a login shell (sh -lc), whose PATH comes from the profile files.
    const home = await tempDir();
    await writeFiles(home, { ".profile": `PATH='${bin}':"$PATH"\n` });
    const { client } = await connected({ HOME: home });
    const { pool_id } = await client.spawn({ worker_type: "terminal-claude" });
    const result = await client.execute(pool_id, `Execute: touch '${path.join(dir, "ai-ran")}'`, 30);
    expect(result).toMatchObject({ status: "completed", output: '{"type": "result", "subtype": "success", "parent_tool_use_id": null}' });
    expect(existsSync(path.join(dir, "ai-ran"))).toBe(true);
  });

  it("routing ignores worker_type (the real server does not look at it)", async () => {
    const { client } = await connected();
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
    expect(await client.routeExecute("echo routed", { workerType: "terminal-zsh", timeoutSec: 30 })).toMatchObject({
      pool_id,
      status: "completed",
    });
  });

  it("rate-limits only the execute tools: pool_execute one unit, pool_route_execute three; waits them out, or gives up with RateLimitedError", async () => {
    const env = { MAHAVISHNU_STANDIN_RATE_LIMIT: "2", MAHAVISHNU_STANDIN_RATE_WINDOW: "2" };
    const waits: string[] = [];
    const { client, url } = await connected(env, { onRateLimited: (tool: string) => waits.push(tool) });
    for (let call = 0; call < 5; call++) expect(await client.list()).toEqual([]); // never limited
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
    await client.execute(pool_id, "true", 30);
    await client.execute(pool_id, "true", 30);
    const started = Date.now();
    expect((await client.execute(pool_id, "true", 30)).status).toBe("completed"); // third in the window: waited, retried
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900); // retry_after_seconds (1, truncated) plus a second
    expect(waits).toEqual(["pool_execute"]);
    // The answer as sent: pool_execute's names the pool.
    const raw = await rawMcp(url);
    try {
      await until(
        async () =>
          ((await raw.call("pool_execute", { pool_id, prompt: "true", caller_kind: "workflow" })) as { status: string }).status ===
          "rate_limited",
      );
      expect(await raw.call("pool_execute", { pool_id, prompt: "true", caller_kind: "workflow" })).toEqual({
        pool_id,
        status: "rate_limited",
        caller_kind: "workflow",
        retry_after_seconds: expect.toBeOneOf([1, 2, null]) as unknown,
        error: expect.stringMatching(/^\[MHV-006\] Rate limit exceeded: caller_kind=workflow\n\nRecovery steps:/) as unknown,
      });
    } finally {
      await raw.close();
    }
    // One pool_route_execute: two units of the caller's kind (its gate, route_task) and one of `unknown`
    // (execute_on_pool), so with two per window the second one is refused at the gate.
    const impatient = await MahavishnuClient.connect(url, { callerKind: "ultracode", maxRateLimitWaitMs: 0 });
    expect((await impatient.routeExecute("true", { timeoutSec: 30 })).status).toBe("completed");
    const limited = await impatient.routeExecute("true", { timeoutSec: 30 }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ code: "MHV-006", message: "pool_route_execute: [MHV-006] Rate limit exceeded: caller_kind=ultracode" });
  });

  it("MAHAVISHNU_STANDIN_KIND=1 is the kinder stand-in: answers when the command finished, ten tools, every tool limited, worker_type honoured", async () => {
    const dir = await tempDir();
    const { client, url } = await connected({
      MAHAVISHNU_STANDIN_KIND: "1",
      MAHAVISHNU_STANDIN_RATE_LIMIT: "2",
      MAHAVISHNU_STANDIN_RATE_WINDOW: "30",
    });
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
    const ran = await client.execute(pool_id, `sleep 1; echo hello > '${path.join(dir, "ran")}'; echo done`, 30);
    expect(readFileSync(path.join(dir, "ran"), "utf8")).toBe("hello\n");
    expect(ran.output.split("\n").slice(-2)).toEqual([`bash-5.2$ sleep 1; echo hello > '${path.join(dir, "ran")}'; echo done`, "done"]);
    await expect(client.routeExecute("true", { workerType: "terminal-zsh" })).rejects.toThrow(
      "pool_route_execute: No pools available for routing",
    );
    await expect(client.spawn({ worker_type: "terminal-qwen" })).rejects.toThrow(
      "pool_spawn: Worker 'terminal-qwen' requires tool 'qwen' which is not on PATH",
    );
    const raw = await rawMcp(url);
    try {
      expect(await raw.tools()).toEqual(POOL_TOOLS.filter((tool) => tool !== "dispatch_to_pool" && tool !== "workflow_result"));
      // The third call of kind `unknown` in the window (after the two spawns): the kind stand-in limits every tool.
      expect(await raw.call("pool_list", {})).toMatchObject({ status: "rate_limited", caller_kind: "unknown" });
    } finally {
      await raw.close();
    }
  });

  it("a killed server makes calls fail with ServerUnavailableError", async () => {
    const { client, kill } = await connected();
    await kill();
    await expect(client.list()).rejects.toBeInstanceOf(ServerUnavailableError);
  });
});

describe("probe", () => {
  it("finds a running server, reads its version and initializes a session", async () => {
    const server = await startStandin();
    const probe = await probeMahavishnu(`${server.url}/`);
    expect(probe).toMatchObject({ available: true, version: "0.11.0" });
    if (probe.available) {
      expect(await probe.client.list()).toEqual([]);
      await probe.client.disconnect();
    }
  });

  it("says fast, and why, when nothing listens", async () => {
    const port = await freePort();
    // Refused, not timed out: the probe did not wait (bench/mahavishnu-overhead.mjs measures how long it takes).
    const probe = await probeMahavishnu(`http://127.0.0.1:${port}`);
    expect(probe).toEqual({
      available: false,
      reason: `no answer from http://127.0.0.1:${port}/health (connect ECONNREFUSED 127.0.0.1:${port})`,
    });
  });

  it("rejects a server that is not Mahavishnu", async () => {
    const { createServer } = await import("node:http");
    const server = createServer((_, response) => response.end(JSON.stringify({ status: "ok", service: "other" })));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      expect(await probeMahavishnu(`http://127.0.0.1:${port}`)).toEqual({
        available: false,
        reason: `http://127.0.0.1:${port}/health is not a Mahavishnu server ({"status":"ok","service":"other"})`,
      });
    } finally {
      server.close();
    }
  });
});
