import net from "node:net";

/** What a client asks the daemon: one JSON line, answered by one JSON line. */
export type DaemonRequest =
  | { op: "ping" }
  | { op: "status" }
  | { op: "stop" }
  /** Answered once the daemon has no work queued or running (or at once when version or configuration differ). */
  | { op: "wait"; version: string; config: string };

/** The daemon's state, as `status` and `ping` report it. */
export interface DaemonStatus {
  pid: number;
  version: string;
  root: string;
  configFile: string | null;
  config: string;
  startedAt: string;
  watching: { directories: number; files: number; ready: boolean };
  /** idle, queued (changes waiting out their quiet period) or running. */
  state: "idle" | "queued" | "running";
  queued: { changedFiles: number; wholeProject: boolean };
  running: { phase: string; tools: string[]; files: number; since: string } | null;
  lastFinished: { at: string; phase: string; durationMs: number; tasks: number; fromMemory: number; error?: string } | null;
  changesSeen: number;
  runs: { finished: number; cancelled: number; failed: number };
  rssBytes: number;
}

export type DaemonAnswer =
  | { ok: true; status: DaemonStatus; waitedMs?: number }
  | { ok: false; reason: "version" | "config" | "stopping" | "bad-request"; status?: DaemonStatus };

/** Why a request got no answer: nobody listens (stale or absent), no answer in time, or an answer that is not one. */
export class DaemonUnreachable extends Error {
  constructor(
    readonly kind: "absent" | "refused" | "timeout" | "nonsense" | "closed",
    message: string,
  ) {
    super(message);
  }
}

/** The longest answer a client reads: a status is a few hundred bytes. */
const MAX_ANSWER_BYTES = 1 << 20;

function isAnswer(value: unknown): value is DaemonAnswer {
  if (typeof value !== "object" || value === null) return false;
  const answer = value as Record<string, unknown>;
  if (answer.ok === false) return typeof answer.reason === "string";
  const status = answer.status as Record<string, unknown> | undefined;
  return (
    answer.ok === true &&
    typeof status === "object" &&
    status !== null &&
    typeof status.pid === "number" &&
    typeof status.state === "string"
  );
}

/** Sends one request over the socket and reads its one answer, within `timeoutMs` (and `signal`). */
export function ask(socket: string, request: DaemonRequest, timeoutMs: number, signal?: AbortSignal): Promise<DaemonAnswer> {
  return new Promise((resolve, reject) => {
    const connection = net.createConnection(socket);
    let received = "";
    let settled = false;
    const finish = (error: DaemonUnreachable | null, answer?: DaemonAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      connection.destroy();
      if (error) reject(error);
      else resolve(answer as DaemonAnswer);
    };
    const onAbort = (): void => finish(new DaemonUnreachable("closed", "interrupted"));
    const timer = setTimeout(() => finish(new DaemonUnreachable("timeout", `no answer in ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    connection.setEncoding("utf8");
    connection.on("connect", () => connection.write(`${JSON.stringify(request)}\n`));
    connection.on("data", (chunk: string) => {
      received += chunk;
      if (received.length > MAX_ANSWER_BYTES) return finish(new DaemonUnreachable("nonsense", "an answer too long"));
      const end = received.indexOf("\n");
      if (end === -1) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(received.slice(0, end));
      } catch {
        return finish(new DaemonUnreachable("nonsense", "an answer that is not JSON"));
      }
      if (!isAnswer(parsed)) return finish(new DaemonUnreachable("nonsense", "an answer of an unknown shape"));
      finish(null, parsed);
    });
    connection.on("error", (error: NodeJS.ErrnoException) => {
      const kind = error.code === "ENOENT" ? "absent" : error.code === "ECONNREFUSED" ? "refused" : "closed";
      finish(new DaemonUnreachable(kind, error.code ?? error.message));
    });
    connection.on("close", () => finish(new DaemonUnreachable("closed", "the daemon closed the connection without an answer")));
  });
}
