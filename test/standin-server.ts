import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterEach } from "vitest";
import { REPO, tempDir } from "./helpers.js";

export const STANDIN_PYTHON = path.join(REPO, ".venv-standin", "bin", "python");
export const STANDIN_SERVER = path.join(REPO, "test", "mahavishnu-standin", "server.py");

/** A running stand-in Mahavishnu server. */
export interface Standin {
  /** Base URL, as `mcp_server_url` holds it. */
  url: string;
  pid: number;
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill: () => Promise<void>;
}

const running: ResultPromise[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    child.kill("SIGKILL");
    await child.catch(() => undefined);
  }
});

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * Starts the stand-in server (test/mahavishnu-standin) on a free loopback port and waits until /health answers. Its
 * workers' shells read the rc files of its HOME, an empty directory unless `env` names one: a developer's
 * ~/.bashrc (pyenv's rehash, which waits on a lock other shells hold) would otherwise slow every worker's start.
 */
export async function startStandin(env: Record<string, string> = {}): Promise<Standin> {
  // scripts/test.sh installs it; a checkout that only ran the demo has none, and the server cannot start.
  if (!existsSync(STANDIN_PYTHON)) throw new Error(`no stand-in environment at ${STANDIN_PYTHON}: run bash scripts/setup-standin.sh`);
  const port = await freePort();
  const child = execa(STANDIN_PYTHON, [STANDIN_SERVER, "mcp", "start", "--host", "127.0.0.1", "--port", String(port)], {
    env: { HOME: await tempDir("jackpool-standin-home-"), ...env },
    reject: false,
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });
  running.push(child);
  const url = `http://127.0.0.1:${port}`;
  // A second or two on a quiet machine; its Python imports take far longer on a loaded one.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.killed) throw new Error(`stand-in server exited: ${(await child).stderr}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      if (Date.now() > deadline) throw new Error("stand-in server did not answer /health within 90 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    pid: child.pid!,
    kill: async () => {
      child.kill("SIGKILL");
      await child.catch(() => undefined);
    },
  };
}
