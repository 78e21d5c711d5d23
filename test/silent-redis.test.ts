import net from "node:net";
import path from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { JACKPOOL, SAMPLE_PROJECT, SYSTEM_PATH, VENV_BIN, brief, jackpool, projectCopy, scanJson, writeFiles } from "./helpers.js";

/** A TCP server that accepts connections and never writes a byte: a Redis that hangs. */
async function silentServer(): Promise<{ url: string; connected: Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let onConnection: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (onConnection = resolve));
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    onConnection();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}/0`,
    connected,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

let server: Awaited<ReturnType<typeof silentServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function projectUsing(store: string): Promise<string> {
  const root = await projectCopy(SAMPLE_PROJECT);
  await writeFiles(root, { ".crackerjack.yaml": `pool_scanning:\n  enabled: false\n  memory:\n    store: ${store}\n` });
  return root;
}

describe("a Redis that accepts connections and never answers", () => {
  it("costs the scan one warning: it runs without memory and reports what the tools found", async () => {
    server = await silentServer();
    const root = await projectUsing(server.url);
    const { report, run } = await scanJson(root, ["--all", "--tools", "ruff"]);
    expect(run.exitCode).toBe(1);
    expect(brief(report, "ruff")).toEqual(["src/inventory/models.py:1:F401", "src/inventory/models.py:33:SIM102"]);
    expect(run.stderr).toBe(`jackpool: warning: memory: cannot open ${server.url} (no answer within 2000 ms); the scan goes on without it`);
  }, 30_000);

  it("`cache stats` is a one-line error, exit 2", async () => {
    server = await silentServer();
    const root = await projectUsing(server.url);
    const run = await jackpool(root, ["cache", "stats"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`jackpool: cache stats: cannot open ${server.url} (no answer within 2000 ms)`);
    expect(run.stdout).toBe("");
  }, 30_000);

  it("Ctrl-C while it hangs ends the scan with 130", async () => {
    server = await silentServer();
    const root = await projectUsing(server.url);
    const scan = execa("node", [JACKPOOL, "scan", "--all", "--tools", "ruff"], {
      cwd: root,
      reject: false,
      env: { PATH: [VENV_BIN, SYSTEM_PATH].join(path.delimiter) },
    });
    await server.connected;
    scan.kill("SIGINT");
    const result = await scan;
    expect(result.exitCode).toBe(130);
    expect(result.stderr).toContain("jackpool: interrupted, stopping tools");
  }, 30_000);
});
