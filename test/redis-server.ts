import net from "node:net";
import { execa } from "execa";

/** A TCP port on 127.0.0.1 that nothing listens on (free when this returns). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A running throwaway redis-server. */
export interface RedisServer {
  port: number;
  url: string;
  /** The keys matching `pattern`, sorted, as redis-cli lists them. */
  keys(pattern: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** How to start a test Redis: on a given port (a restart), with extra arguments (an ACL user), and how to reach it. */
export interface RedisOptions {
  port?: number;
  args?: string[];
  /** The URL's userinfo, e.g. `user:password@`. */
  userinfo?: string;
  /** redis-cli's arguments to authenticate. */
  cliAuth?: string[];
}

/** Starts a real redis-server on 127.0.0.1 and a free port, without persistence; resolves once it accepts connections. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const server = execa(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", ...(options.args ?? [])],
    { reject: false },
  );
  // Milliseconds on a quiet machine: a generous bound for a loaded one.
  const deadline = Date.now() + 60_000;
  while (!(await accepts(port))) {
    if (server.exitCode !== null) throw new Error(`redis-server exited: ${(await server).stdout}`);
    if (Date.now() > deadline) throw new Error("redis-server did not start within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    port,
    url: `redis://${options.userinfo ?? ""}127.0.0.1:${port}/0`,
    keys: async (pattern) => {
      const { stdout } = await execa("redis-cli", ["-p", String(port), ...(options.cliAuth ?? []), "--raw", "KEYS", pattern]);
      return stdout.split("\n").filter(Boolean).sort();
    },
    stop: async () => {
      server.kill();
      await server;
    },
  };
}
