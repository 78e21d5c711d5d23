import { describe, expect, it } from "vitest";
import { MahavishnuClient } from "../src/backends/mahavishnu/client.js";
import { jackpool, tempDir, writeFiles } from "./helpers.js";
import { freePort, startStandin } from "./standin-server.js";

/** A project whose config points at `url`. */
async function projectFor(url: string): Promise<string> {
  const root = await tempDir();
  await writeFiles(root, { ".crackerjack.yaml": `pool_scanning:\n  mcp_server_url: "${url}"\n` });
  return root;
}

describe("jackpool pools", () => {
  it("lists, shows status and closes every pool of the server, as tables or JSON", async () => {
    const server = await startStandin();
    const root = await projectFor(server.url);
    const empty = await jackpool(root, ["pools", "list"]);
    expect(empty).toEqual({ exitCode: 0, stdout: `no pools at ${server.url}`, stderr: "" });

    const client = await MahavishnuClient.connect(server.url);
    const first = await client.spawn({ name: "scanners", min_workers: 1, max_workers: 4, worker_type: "terminal-shell" });
    const second = await client.spawn({ name: "other", min_workers: 2, max_workers: 3, worker_type: "terminal-shell" });
    await client.disconnect();

    const list = await jackpool(root, ["pools", "list"]);
    expect(list.exitCode).toBe(0);
    const width = first.pool_id.length;
    expect(list.stdout).toBe(
      [
        `${"pool".padEnd(width)}  name      type        status   workers  min  max`,
        `${first.pool_id}  scanners  mahavishnu  running        1    1    4`,
        `${second.pool_id}  other     mahavishnu  running        2    2    3`,
      ].join("\n"),
    );
    const status = await jackpool(root, ["pools", "status"]);
    expect(status.exitCode).toBe(0);
    expect(status.stdout.split("\n")).toEqual([
      `Mahavishnu at ${server.url}: healthy, 2 pools active`,
      "",
      `${"pool".padEnd(width)}  name      type        status   workers  min  max  memory`,
      `${first.pool_id}  scanners  mahavishnu  running        1    1    4       1`,
      `${second.pool_id}  other     mahavishnu  running        2    2    3       2`,
      "",
      "autoscaling: no scan recorded in this project",
    ]);
    const json = await jackpool(root, ["pools", "list", "--format", "json"]);
    expect(JSON.parse(json.stdout)).toEqual([
      { pool_id: first.pool_id, pool_type: "mahavishnu", name: "scanners", status: "running", workers: 1, min_workers: 1, max_workers: 4 },
      { pool_id: second.pool_id, pool_type: "mahavishnu", name: "other", status: "running", workers: 2, min_workers: 2, max_workers: 3 },
    ]);
    const statusJson = JSON.parse((await jackpool(root, ["pools", "status", "--format", "json"])).stdout) as {
      health: { status: string; pools_active: number };
      monitor: Record<string, unknown>;
      autoscaling: unknown;
    };
    expect(statusJson.health).toMatchObject({ status: "healthy", pools_active: 2 });
    expect(statusJson.autoscaling).toBeNull();
    // memory_count is one collected result per worker.
    expect(statusJson.monitor).toEqual({
      [first.pool_id]: { memory_count: 1, status: "running" },
      [second.pool_id]: { memory_count: 2, status: "running" },
    });

    expect(await jackpool(root, ["pools", "close-all"])).toEqual({ exitCode: 0, stdout: `closed 2 pools at ${server.url}`, stderr: "" });
    expect((await jackpool(root, ["pools", "list"])).stdout).toBe(`no pools at ${server.url}`);
  });

  it("says in one line that the server is unavailable, and exits 2", async () => {
    const port = await freePort();
    const root = await projectFor(`http://127.0.0.1:${port}`);
    for (const action of ["status", "list", "close-all"]) {
      expect(await jackpool(root, ["pools", action])).toEqual({
        exitCode: 2,
        stdout: "",
        stderr: `jackpool: pools ${action}: Mahavishnu server not available: no answer from http://127.0.0.1:${port}/health (connect ECONNREFUSED 127.0.0.1:${port})`,
      });
    }
  });

  it("rejects an unknown action or format", async () => {
    const root = await tempDir();
    expect(await jackpool(root, ["pools", "grow"])).toEqual({
      exitCode: 2,
      stdout: "",
      stderr: 'jackpool: pools: unknown action "grow" (expected status, list, close-all)',
    });
    expect((await jackpool(root, ["pools", "list", "--format", "yaml"])).stderr).toBe(
      'jackpool: pools --format: expected text or json, got "yaml"',
    );
  });
});
