import { describe, expect, it } from "vitest";
import { redactCredentials } from "../src/text/redact.js";
import { SAMPLE_PROJECT, jackpool, projectCopy, writeFiles } from "./helpers.js";
import { freePort, startStandin } from "./standin-server.js";

const PASSWORD = "s3cret@pw";
/** `url` (http://127.0.0.1:port) with a user and a password that holds an "@", percent-encoded as a URL needs it. */
const withCredentials = (url: string): string => url.replace("://", `://jack:${encodeURIComponent(PASSWORD)}@`);

async function projectAt(url: string): Promise<string> {
  const root = await projectCopy(SAMPLE_PROJECT);
  await writeFiles(root, { ".crackerjack.yaml": `pool_scanning:\n  enabled: true\n  mcp_server_url: "${url}"\n` });
  return root;
}

/** Everything a run printed, checked for the password in both of its spellings. */
function expectNoPassword(run: { stdout: string; stderr: string }): void {
  for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), "s3cret"]) expect(`${run.stdout}\n${run.stderr}`).not.toContain(secret);
}

describe("credentials in a URL are never printed", () => {
  it.each([
    ["http://jack:pw@host:8680/health", "http://***@host:8680/health"],
    ["redis://:p@ss@10.0.0.5:6379/0", "redis://***@10.0.0.5:6379/0"],
    [
      "initialize failed at https://u:p@h/mcp: cannot fetch https://u:p@h/mcp",
      "initialize failed at https://***@h/mcp: cannot fetch https://***@h/mcp",
    ],
    ["http://127.0.0.1:8680 and a@b.c", "http://127.0.0.1:8680 and a@b.c"],
  ])("%s", (text, shown) => {
    expect(redactCredentials(text)).toBe(shown);
  });

  it("in the warning of every scan that falls back to the local pool", async () => {
    const url = withCredentials(`http://127.0.0.1:${await freePort()}`);
    const root = await projectAt(url);
    const run = await jackpool(root, ["scan", "--all", "--tools", "ruff", "--quiet"]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /^jackpool: warning: Mahavishnu server not available: no answer from http:\/\/\*\*\*@127\.0\.0\.1:\d+\/health \(.*\); running on the local pool$/,
    );
    expectNoPassword(run);
  });

  it("in the error of --backend mahavishnu", async () => {
    const root = await projectAt(withCredentials(`http://127.0.0.1:${await freePort()}`));
    const run = await jackpool(root, ["scan", "--all", "--tools", "ruff", "--backend", "mahavishnu"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /^jackpool: --backend mahavishnu: Mahavishnu server not available: no answer from http:\/\/\*\*\*@127\.0\.0\.1:\d+\/health \(/,
    );
    expectNoPassword(run);
  });

  it("in `pools status`, which reaches the server with them as Basic authorization", async () => {
    const server = await startStandin();
    const root = await projectAt(withCredentials(server.url));
    const run = await jackpool(root, ["pools", "status"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.split("\n")[0]).toBe(`Mahavishnu at ${server.url.replace("://", "://***@")}: healthy, 0 pools active`);
    expectNoPassword(run);
  });

  it("in `jackpool config` and in the warning about a Redis memory store", async () => {
    const redis = withCredentials(`redis://127.0.0.1:${await freePort()}`);
    const root = await projectAt(`http://127.0.0.1:${await freePort()}`);
    await writeFiles(root, { ".crackerjack.yaml": `pool_scanning:\n  enabled: false\n  memory:\n    store: ${redis}/0\n` });
    const config = await jackpool(root, ["config"]);
    expect(config.stdout).toContain("store: redis://***@127.0.0.1:");
    expectNoPassword(config);
    const scan = await jackpool(root, ["scan", "--all", "--tools", "ruff", "--quiet"]);
    expect(scan.stderr).toMatch(/^jackpool: warning: memory: cannot open redis:\/\/\*\*\*@127\.0\.0\.1:\d+\/0 \(/);
    expectNoPassword(scan);
  });
});
