import { existsSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { FILE_EXCHANGE_PREFIX } from "../src/backends/mahavishnu/file-exchange.js";
import { JACKPOOL, SYSTEM_PATH, VENV_BIN, brief, fakeTools, jackpool, running, scanJson, tempDir, writeFiles } from "./helpers.js";
import { poolIds, sampleWithServer, timeless } from "./mahavishnu-project.js";
import { startRedis } from "./redis-server.js";
import { freePort, startStandin } from "./standin-server.js";

describe("scan --backend", () => {
  // The same on a real project (pygments) is in the corpus tier (test/corpus/pygments.test.ts), beside the cold local
  // scan it compares with.
  it("routes pooled_tools to the Mahavishnu pools and local_tools to the local pool, with the same report as all-local", async () => {
    // Every tool logs where it ran: the stand-in's commands inherit JACKPOOL_RAN_ON=pool, jackpool's threads do not.
    const ranOn = path.join(await tempDir(), "ran-on");
    const tools = ["ruff", "refurb", "complexipy", "vulture", "codespell"];
    const bin = await fakeTools(
      Object.fromEntries(
        tools.map((tool) => [
          tool,
          `[ "$1" = --version ] || echo "${tool} \${JACKPOOL_RAN_ON:-local}" >> '${ranOn}'; exec '${path.join(VENV_BIN, tool)}' "$@"`,
        ]),
      ),
    );
    const server = await startStandin({ JACKPOOL_RAN_ON: "pool" });
    const root = await sampleWithServer(server.url);
    const routed = await scanJson(root, ["--all", "--no-cache", "--backend", "mahavishnu", "--jobs", "3", "--verbose"], {
      pathDirs: [bin],
    });
    const ranRouted = new Set((await readFile(ranOn, "utf8")).trim().split("\n"));
    await rm(ranOn);
    const local = await scanJson(root, ["--all", "--no-cache", "--backend", "local", "--jobs", "3", "--verbose"], { pathDirs: [bin] });
    expect(routed.run.exitCode).toBe(1);
    expect(routed.report.summary.findings).toBe(10);
    expect(timeless(routed.report)).toEqual(timeless(local.report));
    expect([...ranRouted].sort()).toEqual(["codespell local", "complexipy pool", "refurb pool", "ruff local", "vulture local"]);
    expect(new Set((await readFile(ranOn, "utf8")).trim().split("\n"))).toEqual(new Set(tools.map((tool) => `${tool} local`)));
    expect(routed.run.stderr).toMatch(/^mahavishnu: Mahavishnu 0\.11\.0 at http:\/\/127\.0\.0\.1:\d+$/m);
    expect(routed.run.stderr).toMatch(
      /^mahavishnu: spawned 3 pools \(terminal-shell\) at http:\/\/127\.0\.0\.1:\d+: mahavishnu_\d+, mahavishnu_\d+, mahavishnu_\d+$/m,
    );
    expect(routed.run.stderr).toMatch(/^backend: mahavishnu \(falls back to local\) \+ local, routed by tool, 6 worker threads$/m);
    const routes = routed.run.stderr.split("\n").filter((line) => line.startsWith("route: "));
    expect(routes.sort()).toEqual([
      "route: codespell → local pool (local_tools)",
      "route: complexipy → Mahavishnu pools (pooled_tools)",
      "route: refurb → Mahavishnu pools (pooled_tools)",
      "route: ruff → local pool (local_tools)",
      "route: vulture → local pool (local_tools)",
    ]);
    expect(local.run.stderr).toMatch(/^route: every tool → local pool \(--backend local\)$/m);
    const health = await fetch(`${server.url}/metrics`);
    expect(await health.text()).toBe('mahavishnu_pool_workers_active{pool_type="mahavishnu"} 0\n');
  });

  it("with pool.exchange: redis, tasks travel through Redis: the same report as all-local, no task directory, no keys left", async () => {
    const server = await startStandin();
    const redis = await startRedis();
    try {
      const root = await sampleWithServer(server.url, { redisExchange: redis.url });
      // jackpool's own temporary directory, where the files exchange would put its task directories.
      const tmp = await tempDir();
      const routed = await scanJson(root, ["--all", "--no-cache", "--backend", "mahavishnu", "--jobs", "2", "--verbose"], {
        env: { TMPDIR: tmp },
      });
      const local = await scanJson(root, ["--all", "--no-cache", "--backend", "local"]);
      expect(routed.run.exitCode).toBe(1);
      expect(routed.report.summary.findings).toBe(10);
      expect(timeless(routed.report)).toEqual(timeless(local.report));
      expect(routed.run.stderr).toContain(`mahavishnu: tasks and outcomes travel through Redis at ${redis.url}\n`);
      expect(routed.run.stderr).not.toContain("moved to the local pool");
      expect((await readdir(tmp)).filter((name) => name.startsWith(FILE_EXCHANGE_PREFIX))).toEqual([]);
      expect(await redis.keys("jackpool:task:*")).toEqual([]);
    } finally {
      await redis.stop();
    }
  });

  it("with pool.exchange: redis and no Redis listening, auto runs locally and --backend mahavishnu is an error, each in one line", async () => {
    const server = await startStandin();
    const port = await freePort();
    const root = await sampleWithServer(server.url, { redisExchange: `redis://127.0.0.1:${port}/0` });
    const why = `the Redis task exchange is not available: cannot reach Redis at redis://127.0.0.1:${port}/0 (connect ECONNREFUSED 127.0.0.1:${port})`;
    const required = await jackpool(root, ["scan", "--all", "--no-cache", "--tools", "refurb", "--backend", "mahavishnu"]);
    expect(required.exitCode).toBe(2);
    expect(required.stderr).toBe(`jackpool: --backend mahavishnu: ${why}`);
    const auto = await scanJson(root, ["--all", "--no-cache", "--tools", "refurb"]);
    expect(auto.run.exitCode).toBe(1);
    expect(brief(auto.report, "refurb").length).toBeGreaterThan(0);
    expect(auto.run.stderr).toBe(`jackpool: warning: ${why}; running on the local pool`);
    expect(await poolIds(server.url)).toEqual([]);
  });

  it("routes a tool in neither list by its class (routing.<class>)", async () => {
    const server = await startStandin();
    const root = await sampleWithServer(server.url);
    await writeFiles(root, {
      ".crackerjack.yaml": `pool_scanning:
  mcp_server_url: "${server.url}"
  pool: { min_workers: 1, max_workers: 2, worker_type: terminal-shell }
  pooled_tools: []
  local_tools: [vulture]
  routing: { heavy_cpu: local, fast: pooled }
`,
    });
    const { run, report } = await scanJson(root, ["--all", "--no-cache", "--tools", "ruff,refurb,vulture", "--verbose"]);
    expect(run.exitCode).toBe(1);
    expect(brief(report, "ruff")).toContain("src/inventory/models.py:1:F401");
    expect(
      run.stderr
        .split("\n")
        .filter((line) => line.startsWith("route: "))
        .sort(),
    ).toEqual([
      "route: refurb → local pool (routing.heavy_cpu)",
      "route: ruff → Mahavishnu pools (routing.fast)",
      "route: vulture → local pool (local_tools)",
    ]);
  });

  it("rejects a tool in both pooled_tools and local_tools, and an unknown route, at file:line", async () => {
    const root = await tempDir();
    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  pooled_tools: [refurb, ruff]\n  local_tools: [ruff]\n" });
    const both = await jackpool(root, ["config"]);
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toBe(
      "jackpool: .crackerjack.yaml:3: pool_scanning.local_tools: ruff is also in pooled_tools; a tool runs in one place",
    );
    await writeFiles(root, { ".crackerjack.yaml": "pool_scanning:\n  routing:\n    fast: remote\n" });
    const bad = await jackpool(root, ["config"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe('jackpool: .crackerjack.yaml:3: pool_scanning.routing.fast: expected one of pooled, local, got "remote"');
  });

  it("auto falls back to the local pool at once, in one line, when no server listens", async () => {
    const port = await freePort();
    const root = await sampleWithServer(`http://127.0.0.1:${port}`);
    const auto = await scanJson(root, ["--all", "--no-cache", "--tools", "ruff"]);
    expect(auto.run.stderr).toBe(
      `jackpool: warning: Mahavishnu server not available: no answer from http://127.0.0.1:${port}/health (connect ECONNREFUSED 127.0.0.1:${port}); running on the local pool`,
    );
    expect(auto.run.exitCode).toBe(1);
    expect(auto.report.findings.map((finding) => `${finding.path}:${finding.line}:${finding.rule}`)).toContain(
      "src/inventory/models.py:1:F401",
    );
    const local = await scanJson(root, ["--all", "--no-cache", "--tools", "ruff", "--backend", "local"]);
    expect(local.run.stderr).toBe("");
    expect(timeless(auto.report)).toEqual(timeless(local.report));
    const required = await jackpool(root, ["scan", "--all", "--tools", "ruff", "--backend", "mahavishnu"]);
    expect(required.exitCode).toBe(2);
    expect(required.stderr).toBe(
      `jackpool: --backend mahavishnu: Mahavishnu server not available: no answer from http://127.0.0.1:${port}/health (connect ECONNREFUSED 127.0.0.1:${port})`,
    );
  });

  it("does not probe when pool_scanning.enabled is false", async () => {
    const root = await sampleWithServer(`http://127.0.0.1:${await freePort()}`, { enabled: false });
    const { run } = await scanJson(root, ["--all", "--no-cache", "--tools", "ruff"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe("");
  });

  it("auto says why pools could not be spawned and runs locally", async () => {
    const server = await startStandin();
    const root = await sampleWithServer(server.url);
    // Session-Buddy pools are served by a Session-Buddy server, which is not there.
    await writeFiles(root, {
      ".crackerjack.yaml": `pool_scanning:\n  mcp_server_url: "${server.url}"\n  pool:\n    pool_type: session-buddy\n`,
    });
    const { run } = await scanJson(root, ["--all", "--no-cache", "--tools", "ruff"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(
      "jackpool: warning: Mahavishnu pools could not be spawned (pool_spawn: [MHV-306] External service 'session-buddy' error: not reachable at http://localhost:8678/mcp); running on the local pool",
    );
  });

  it("a server whose pools cannot run commands (Mahavishnu 0.12 to 0.14) is named in one line: auto runs locally, --backend mahavishnu exits 2", async () => {
    const server = await startStandin({ MAHAVISHNU_STANDIN_VERSION: "0.14.0" });
    const root = await sampleWithServer(server.url);
    const why = `Mahavishnu 0.14.0 at ${server.url}: its pools cannot run commands (from 0.12 to 0.14 every worker's terminal is a mock that never runs one)`;
    const started = Date.now();
    const auto = await scanJson(root, ["--all", "--no-cache", "--tools", "ruff,refurb"]);
    expect(auto.run.exitCode).toBe(1);
    expect(auto.run.stderr).toBe(`jackpool: warning: ${why}; running on the local pool`);
    expect(brief(auto.report, "ruff")).toContain("src/inventory/models.py:1:F401");
    expect(Date.now() - started).toBeLessThan(60_000); // no task waited for a runner that never starts
    const required = await jackpool(root, ["scan", "--all", "--no-cache", "--tools", "ruff", "--backend", "mahavishnu"]);
    expect(required).toMatchObject({ exitCode: 2, stderr: `jackpool: --backend mahavishnu: ${why}` });
    expect(await poolIds(server.url)).toEqual([]);
  });

  it("a server killed mid-scan (its terminals and the runner in one die with it) still gives the complete report", async () => {
    const server = await startStandin();
    const root = await sampleWithServer(server.url);
    const gate = await tempDir();
    // refurb's first scan run (the slowest task, so the first to start) blocks until released; `--version` and
    // later runs are the real refurb. With one pool, every other task queues behind it.
    const bin = await fakeTools({
      refurb: `if [ "$1" != --version ] && [ ! -e '${gate}/first' ]; then : > '${gate}/first'; while [ ! -e '${gate}/release' ]; do sleep 0.02; done; fi; exec '${path.join(VENV_BIN, "refurb")}' "$@"`,
    });
    const scanning = scanJson(root, ["--all", "--no-cache", "--backend", "mahavishnu", "--jobs", "1"], { pathDirs: [bin] });
    while (!existsSync(path.join(gate, "first"))) await new Promise((resolve) => setTimeout(resolve, 20));
    await server.kill();
    await writeFiles(gate, { release: "" });
    const remote = await scanning;
    const local = await scanJson(root, ["--all", "--no-cache", "--backend", "local"], { pathDirs: [bin] });
    expect(remote.run.exitCode).toBe(1);
    expect(remote.report.findings).toEqual(local.report.findings);
    expect(remote.report.tools.map((tool) => [tool.tool, tool.status, tool.findings])).toEqual(
      local.report.tools.map((tool) => [tool.tool, tool.status, tool.findings]),
    );
    expect(remote.run.stderr).toMatch(/^jackpool: warning: no Mahavishnu pool left: the rest of the scan runs on the local pool$/m);
    // The task whose runner died with the server's terminal, and those that waited for its pool, say why they moved.
    const notes = remote.report.tools.flatMap((tool) => tool.notes);
    expect(notes).toContainEqual(
      expect.stringMatching(
        /^refurb#?\d*: retried once because mahavishnu pool mahavishnu_\d+: the task runner stopped without writing its result; moved to the local pool$/,
      ),
    );
    expect(notes).toContainEqual(
      expect.stringMatching(/^\w+#?\d*: retried once because mahavishnu: no Mahavishnu pool left; moved to the local pool$/),
    );
  });
});

describe("pool lifecycle", () => {
  it("--keep-pool leaves the pools up and the next --keep-pool scan reuses them by name", async () => {
    const server = await startStandin();
    const root = await sampleWithServer(server.url);
    const args = ["--all", "--no-cache", "--backend", "mahavishnu", "--jobs", "2", "--verbose", "--tools", "refurb,complexipy"];
    const first = await scanJson(root, [...args, "--keep-pool"]);
    expect(first.run.exitCode).toBe(1);
    const kept = await poolIds(server.url);
    expect(kept).toHaveLength(2);
    expect(first.run.stderr).toContain(`mahavishnu: spawned 2 pools (terminal-shell) at ${server.url}: `);
    expect(first.run.stderr).toMatch(/^mahavishnu: keeping 2 pools up for the next scan \(--keep-pool\)$/m);

    const second = await scanJson(root, [...args, "--keep-pool"]);
    expect(timeless(second.report)).toEqual(timeless(first.report));
    const reused = /^mahavishnu: reusing 2 pools named crackerjack-quality-scanners: (.+)$/m.exec(second.run.stderr)?.[1];
    expect(reused?.split(", ").sort()).toEqual(kept);
    expect(second.run.stderr).not.toContain("mahavishnu: spawned");
    expect(await poolIds(server.url)).toEqual(kept);

    // Without --keep-pool a scan spawns its own pools, closes them, and leaves kept ones alone.
    const plain = await scanJson(root, args);
    expect(plain.run.stderr).toContain("mahavishnu: spawned 2 pools");
    expect(await poolIds(server.url)).toEqual(kept);
  });

  it("Ctrl-C during a scan on Mahavishnu pools exits 130, kills the tool and closes every pool", async () => {
    const server = await startStandin();
    const root = await sampleWithServer(server.url);
    const pids = path.join(await tempDir(), "pids");
    const bin = await fakeTools({ refurb: `if [ "$1" = --version ]; then echo 2.0; exit 0; fi\nsleep 600 & echo $! >> '${pids}'; wait` });
    const scanning = execa("node", [JACKPOOL, "scan", "--all", "--no-cache", "--backend", "mahavishnu", "--jobs", "2"], {
      cwd: root,
      reject: false,
      env: { PATH: [bin, VENV_BIN, SYSTEM_PATH].join(path.delimiter) },
    });
    while (!existsSync(pids)) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await poolIds(server.url)).toHaveLength(2);
    scanning.kill("SIGINT");
    const result = await scanning;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain("jackpool: interrupted, stopping tools");
    expect(await poolIds(server.url)).toEqual([]);
    const sleeper = Number((await readFile(pids, "utf8")).trim());
    expect(await running(sleeper), `the tool's child ${sleeper} survived Ctrl-C`).toBe(false);
  });
});
