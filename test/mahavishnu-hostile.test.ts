import { afterEach, describe, expect, it } from "vitest";
import { SAMPLE_PROJECT, brief, jackpool, projectCopy, scanJson, writeFiles } from "./helpers.js";
import { endless, fakeMahavishnu, json, rpcResult, trickle, type FakeAnswers } from "./fake-mahavishnu.js";

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A copy of the example project whose config points at a fake server answering with `answers`. */
async function projectAt(answers: FakeAnswers): Promise<{ root: string; url: string }> {
  const server = await fakeMahavishnu(answers);
  close = () => server.close();
  const root = await projectCopy(SAMPLE_PROJECT);
  await writeFiles(root, { ".crackerjack.yaml": `pool_scanning:\n  enabled: true\n  mcp_server_url: "${server.url}"\n` });
  return { root, url: server.url };
}

describe("a Mahavishnu server whose answers never end", () => {
  it.each([
    ["sends its /health one byte every 100 ms", { health: trickle }, "no answer from URL/health (no complete answer within 300 ms)"],
    ["streams its /health without end", { health: endless }, "no answer from URL/health (an answer larger than 64 KiB)"],
    ["streams its initialize answer without end", { initialize: endless }, "initialize failed at URL/mcp: an answer larger than 64 MiB"],
    [
      "sends its initialize answer one byte every 100 ms",
      { initialize: trickle },
      "initialize failed at URL/mcp: MCP error -32001: Request timed out",
    ],
  ] as const)(
    "that %s costs the scan one warning; it runs on the local pool",
    async (_, answers, reason) => {
      const { root, url } = await projectAt(answers);
      const { report, run } = await scanJson(root, ["--all", "--tools", "ruff"]);
      expect(run.exitCode).toBe(1);
      expect(brief(report, "ruff")).toEqual(["src/inventory/models.py:1:F401", "src/inventory/models.py:33:SIM102"]);
      expect(run.stderr).toBe(
        `jackpool: warning: Mahavishnu server not available: ${reason.replaceAll("URL", url)}; running on the local pool`,
      );
    },
    30_000,
  );

  it("a tool call answered without end is a one-line error of `pools list`, exit 2", async () => {
    const { root } = await projectAt({ toolCall: endless });
    const run = await jackpool(root, ["pools", "list"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe("jackpool: pools list: pool_list: an answer larger than 64 MiB");
  }, 30_000);
});

describe("a Mahavishnu server whose answers are malformed", () => {
  it.each([
    [
      "an initialize result of the wrong shape",
      { initialize: rpcResult({ foo: 1 }) },
      "a malformed answer: protocolVersion: Invalid input: expected string, received undefined (and 2 more problems)",
    ],
    ["an answer that is not JSON-RPC", { initialize: json({ nope: true }) }, "a malformed answer: Invalid input"],
  ] as const)(
    "%s is one line of the warning, not a dump of the schema check",
    async (_, answers, reason) => {
      const { root, url } = await projectAt(answers);
      const { run } = await scanJson(root, ["--all", "--tools", "ruff"]);
      expect(run.exitCode).toBe(1);
      expect(run.stderr).toBe(
        `jackpool: warning: Mahavishnu server not available: initialize failed at ${url}/mcp: ${reason}; running on the local pool`,
      );
    },
    30_000,
  );
});
