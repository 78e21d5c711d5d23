import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MahavishnuClient } from "../src/backends/mahavishnu/client.js";
import { PoolNotFoundError, PoolToolError, RateLimitedError, ServerUnavailableError } from "../src/backends/mahavishnu/errors.js";
import { probeMahavishnu } from "../src/backends/mahavishnu/probe.js";
import { fakeTools, tempDir } from "./helpers.js";
import { freePort, startStandin } from "./standin-server.js";

async function connected(env: Record<string, string> = {}, options = {}): Promise<{ client: MahavishnuClient; kill: () => Promise<void> }> {
  const server = await startStandin(env);
  const client = await MahavishnuClient.connect(server.url, options);
  return { client, kill: () => server.kill() };
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
    expect(spawned.pool_id).toMatch(/^pool_[0-9a-f]{8}$/);
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
    expect(await client.monitor([spawned.pool_id, "pool_gone"])).toEqual({
      [spawned.pool_id]: { memory_count: 0, status: "running" },
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

  it("runs a shell command for real and reports screen text with no exit code", async () => {
    const dir = await tempDir();
    const { client } = await connected();
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
    const marker = path.join(dir, "ran");
    const ran = await client.execute(pool_id, `echo hello > '${marker}'; echo done; exit 3`, 30);
    expect(readFileSync(marker, "utf8")).toBe("hello\n");
    expect(ran).toMatchObject({ pool_id, status: "completed", error: null });
    expect(Object.keys(ran).sort()).toEqual(["duration", "error", "output", "pool_id", "status", "worker_id"]);
    expect(ran.output.split("\n").slice(-2)).toEqual([`bash-5.2$ echo hello > '${marker}'; echo done; exit 3`, "done"]);
    // "error:" anywhere on the screen fails the task, whatever the exit code was.
    const failed = await client.execute(pool_id, "echo 'ERROR: disk on fire'; true", 30);
    expect(failed).toMatchObject({ status: "failed", error: "Error detected in output" });
    // The screen is shared: the next, clean task still shows the earlier error text, so it "fails" too.
    expect((await client.execute(pool_id, "echo fine", 30)).status).toBe("failed");
    // Long lines are wrapped at 80 columns.
    const wide = await client.execute(pool_id, `printf '%0100d\\n' 0`, 30);
    expect(wide.output.split("\n").slice(-2)).toEqual(["0".repeat(80), "0".repeat(20)]);
  });

  it("runs concurrent tasks of one pool one after another on its first worker", async () => {
    const dir = await tempDir();
    const log = path.join(dir, "log");
    const { client } = await connected();
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell", min_workers: 3 });
    const task = (name: string): Promise<unknown> =>
      client.execute(pool_id, `echo start-${name} >> '${log}'; sleep 0.3; echo end-${name} >> '${log}'`, 30);
    const results = (await Promise.all([task("a"), task("b")])) as { worker_id: string }[];
    expect(results[0]!.worker_id).toBe(results[1]!.worker_id);
    const lines = readFileSync(log, "utf8").trim().split("\n");
    expect([
      ["start-a", "end-a", "start-b", "end-b"],
      ["start-b", "end-b", "start-a", "end-a"],
    ]).toContainEqual(lines);
  });

  it("reports a task past its timeout as status timeout", async () => {
    const { client } = await connected();
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
    const started = Date.now();
    const result = await client.execute(pool_id, "sleep 30", 1);
    expect(result).toMatchObject({ status: "timeout", error: "Task timed out" });
    expect(Date.now() - started).toBeLessThan(5000);
    await client.close(pool_id); // kills the sleep still running in the worker's terminal
  });

  it("turns failures into typed errors: pool not found, [MHV-...] errors, unknown worker types", async () => {
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
    await expect(client.spawn({ worker_type: "terminal-claude" })).rejects.toThrow(
      "pool_spawn: Worker 'terminal-claude' requires tool 'claude' which is not on PATH",
    );
    await expect(client.routeExecute("true")).rejects.toThrow("pool_route_execute: No pools available for routing");
  });

  it("sends AI worker types the Execute: form, which runs the command", async () => {
    const dir = await tempDir();
    const bin = await fakeTools({ claude: "exit 0" });
    const { client } = await connected({ PATH: `${bin}:${process.env.PATH ?? ""}` });
    const { pool_id } = await client.spawn({ worker_type: "terminal-claude" });
    const result = await client.execute(pool_id, `Execute: touch '${path.join(dir, "ai-ran")}'`, 30);
    expect(result.status).toBe("completed");
    expect(existsSync(path.join(dir, "ai-ran"))).toBe(true);
    expect(result.output).toContain('{"type": "result", "subtype": "success", "parent_tool_use_id": null}');
  });

  it("routes a task to a pool of the asked worker type", async () => {
    const { client } = await connected();
    const { pool_id } = await client.spawn({ worker_type: "terminal-shell" });
    const routed = await client.routeExecute("echo routed", { workerType: "terminal-shell", timeoutSec: 30 });
    expect(routed).toMatchObject({ pool_id, status: "completed" });
    await expect(client.routeExecute("true", { workerType: "terminal-zsh" })).rejects.toThrow("No pools available for routing");
  });

  it("waits out the rate limit and retries; gives up with RateLimitedError when not allowed to wait", async () => {
    const waits: string[] = [];
    const { client } = await connected(
      { MAHAVISHNU_STANDIN_RATE_LIMIT: "2", MAHAVISHNU_STANDIN_RATE_WINDOW: "2" },
      { onRateLimited: (tool: string) => waits.push(tool) },
    );
    await client.list();
    await client.list();
    const started = Date.now();
    expect(await client.list()).toEqual([]); // third call in the window: rate limited, waited, retried
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900); // retry_after_seconds (1, truncated) plus a second
    expect(waits).toEqual(["pool_list"]);
    const impatient = await MahavishnuClient.connect(client.baseUrl, { maxRateLimitWaitMs: 0 });
    await impatient.list();
    const limited = await impatient.list().catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited).toMatchObject({ code: "MHV-006", message: "pool_list: [MHV-006] Rate limit exceeded: caller_kind=unknown" });
  });

  it("a killed server makes calls fail with ServerUnavailableError", async () => {
    const { client, kill } = await connected();
    await kill();
    await expect(client.list()).rejects.toBeInstanceOf(ServerUnavailableError);
  });
});

describe("probe", () => {
  it("finds a running server and initializes a session", async () => {
    const server = await startStandin();
    const probe = await probeMahavishnu(`${server.url}/`);
    expect(probe.available).toBe(true);
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
