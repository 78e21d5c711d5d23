import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll } from "vitest";
import { REPO, writeFiles } from "./helpers.js";
import { freePort } from "./standin-server.js";

/** Where scripts/setup-mahavishnu-real.sh installs the real Mahavishnu 0.11.0 server, every package pinned. */
const VENV = path.join(REPO, ".cache", "mahavishnu-real", "venv");
const HARNESS = path.join(REPO, "test", "mahavishnu-real");
const REQUIREMENTS = path.join(HARNESS, "requirements.txt");

/**
 * Why the real-server tier does not run here, or null when it does. It runs from `npm run test:mahavishnu-real`
 * (JACKPOOL_MAHAVISHNU_REAL=1), with its environment installed and tmux there for its workers' terminals.
 */
export function realTierSkipped(): string | null {
  if (process.env.JACKPOOL_MAHAVISHNU_REAL !== "1") return "runs from npm run test:mahavishnu-real";
  const stamp = path.join(VENV, ".requirements-installed");
  if (!existsSync(stamp) || readFileSync(stamp, "utf8") !== readFileSync(REQUIREMENTS, "utf8")) {
    return "its environment is not installed: bash scripts/setup-mahavishnu-real.sh (needs CPython 3.13)";
  }
  return null;
}

/** The workers' shell prompt: an ordinary user's ends in `$`, root's in `#`. */
export type Prompt = "user" | "root";

/** A running real Mahavishnu server. */
export interface RealServer {
  /** Base URL, as `mcp_server_url` holds it. */
  url: string;
  /** How long it took from start to answering /health. */
  startMs: number;
  /** Kills the server at once (SIGKILL), as a crash would; its workers' terminals stay, as tmux sessions do. */
  kill(): Promise<void>;
  /** Kills the server and its workers' terminals, and removes its directories. */
  stop(): Promise<void>;
}

const servers: RealServer[] = [];
afterAll(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

/**
 * Starts `mahavishnu mcp start` on a free loopback port, the way it runs on a machine of this kind, and waits until
 * /health answers. What the harness provides, and nothing else:
 * - its terminal backend, `npx mcpretentious`, which is gone from the registries: `test/mahavishnu-real/bin/npx`, a
 *   tmux-based substitute, first on its PATH, with a tmux server of its own (killed by `stop`);
 * - `monitoring.metrics`, which it imports at start but its wheel does not ship: `test/mahavishnu-real/monitoring`;
 * - its configuration: terminals enabled (they are off by default), and the repository list it refuses to start
 *   without (`settings/ecosystem.yaml`, empty), in a directory of its own; an empty HOME, so no one's rc files and
 *   state are read or written; FastMCP's update check off (it asks PyPI at start);
 * - the workers' shell prompt (PROMPT_COMMAND sets it before each prompt, over the rc files'): the tests run as
 *   root, whose prompt ends in `#`, but a user's ends in `$`, which the server takes for a finished command.
 */
export async function startRealServer({ prompt = "user", env = {} }: { prompt?: Prompt; env?: Record<string, string> } = {}): Promise<RealServer> {
  const port = await freePort();
  // Its own directories, removed by `stop`: it outlives a test when a file's tests share it.
  const base = await mkdtemp(path.join(os.tmpdir(), "jackpool-mahavishnu-real-"));
  const cwd = path.join(base, "cwd");
  const home = path.join(base, "home");
  await writeFiles(cwd, { "settings/ecosystem.yaml": "repos: []\n" });
  await mkdir(home);
  const tmuxSocket = `jackpool-mahavishnu-real-${port}`;
  const started = Date.now();
  const child: ResultPromise = execa(path.join(VENV, "bin", "mahavishnu"), ["mcp", "start", "--host", "127.0.0.1", "--port", String(port)], {
    cwd,
    env: {
      HOME: home,
      PATH: `${path.join(HARNESS, "bin")}${path.delimiter}${process.env.PATH ?? ""}`,
      PYTHONPATH: HARNESS,
      SHELL: "/bin/bash",
      MAHAVISHNU_TERMINAL__ENABLED: "true",
      MAHAVISHNU_SHIM_TMUX_SOCKET: tmuxSocket,
      FASTMCP_CHECK_FOR_UPDATES: "off",
      FASTMCP_SHOW_SERVER_BANNER: "false",
      PROMPT_COMMAND: `PS1='\\u@\\h:\\w${prompt === "root" ? "#" : "$"} '`,
      ...env,
    },
    reject: false,
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
  });
  const kill = async (): Promise<void> => {
    child.kill("SIGKILL");
    await child.catch(() => undefined);
  };
  const server: RealServer = {
    url: `http://127.0.0.1:${port}`,
    startMs: 0,
    kill,
    stop: async () => {
      await kill();
      await execa("tmux", ["-L", tmuxSocket, "kill-server"], { reject: false });
      await rm(base, { recursive: true, force: true, maxRetries: 5 });
    },
  };
  servers.push(server);
  const deadline = started + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mahavishnu exited: ${String((await child).stderr).slice(-3000)}`);
    try {
      if ((await fetch(`${server.url}/health`)).ok) break;
    } catch {
      if (Date.now() > deadline) throw new Error("mahavishnu did not answer /health within 180 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  server.startMs = Date.now() - started;
  return server;
}
