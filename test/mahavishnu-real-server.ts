import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa, type ResultPromise } from "execa";
import { afterAll } from "vitest";
import { REPO } from "./helpers.js";
import { freePort } from "./standin-server.js";

const HARNESS = path.join(REPO, "test", "mahavishnu-real");
/** Where scripts/setup-mahavishnu-real.sh installs the real server, and what it installed from. */
const INSTALLED = path.join(REPO, ".cache", "mahavishnu-real", "venv", ".requirements-installed");
const REQUIREMENTS = path.join(HARNESS, "requirements.txt");

/**
 * Why the real-server tier does not run here, or null when it does. It runs from `npm run test:mahavishnu-real`
 * (JACKPOOL_MAHAVISHNU_REAL=1), with its environment installed.
 */
export function realTierSkipped(): string | null {
  if (process.env.JACKPOOL_MAHAVISHNU_REAL !== "1") return "runs from npm run test:mahavishnu-real";
  if (!existsSync(INSTALLED) || readFileSync(INSTALLED, "utf8") !== readFileSync(REQUIREMENTS, "utf8")) {
    return "its environment is not installed: bash scripts/setup-mahavishnu-real.sh (needs CPython 3.13)";
  }
  return null;
}

/** A running real Mahavishnu server. */
export interface RealServer {
  /** Base URL, as `mcp_server_url` holds it. */
  url: string;
  /** How long it took from start to answering /health. */
  startMs: number;
  /** Kills the server at once (SIGKILL), as a crash would; its workers' terminals stay, as tmux sessions do. */
  kill(): Promise<void>;
  /** Kills the server and its workers' terminals, and removes its directory. */
  stop(): Promise<void>;
}

const servers: RealServer[] = [];
afterAll(async () => {
  for (const server of servers.splice(0)) await server.stop();
});

/**
 * Starts the real server (test/mahavishnu-real/start-server.sh says what it gets besides its own code) on a free
 * loopback port and waits until /health answers. Its workers' shells show a user's prompt (`$`) or root's (`#`);
 * `env` reaches them too.
 */
export async function startRealServer({
  prompt = "user",
  env = {},
}: { prompt?: "user" | "root"; env?: Record<string, string> } = {}): Promise<RealServer> {
  const port = await freePort();
  // Its own directory, removed by `stop`: a server outlives a test when a file's tests share it.
  const dir = await mkdtemp(path.join(os.tmpdir(), "jackpool-mahavishnu-real-"));
  const started = Date.now();
  const child: ResultPromise = execa(path.join(HARNESS, "start-server.sh"), [String(port), dir, prompt], {
    env,
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
      const tmuxServer = `jackpool-mahavishnu-real-${port}`;
      await execa("tmux", ["-L", tmuxServer, "kill-server"], { reject: false });
      // kill-server leaves its socket behind.
      await rm(path.join(process.env.TMUX_TMPDIR ?? "/tmp", `tmux-${process.getuid?.() ?? 0}`, tmuxServer), { force: true });
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
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
