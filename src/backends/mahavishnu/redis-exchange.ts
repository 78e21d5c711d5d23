import { randomUUID } from "node:crypto";
import { connectRedis } from "../../net/redis-client.js";
import { redactCredentials } from "../../text/redact.js";
import type { TaskOutcome } from "../../core/outcome.js";
import type { Task } from "../../core/task.js";
import type { RunnerChannel, TaskExchange, TaskExchanges } from "./task-exchange.js";

/**
 * The task exchange as Redis keys, for a server that does not share jackpool's filesystem but reaches the
 * Redis of `memory.store`. One task's keys are `<prefix>:{task,heartbeat,cancel,outcome}` with the prefix
 * `jackpool:task:<scan id>:<task name>`. Every key expires on its own, so a lost task leaves nothing behind;
 * jackpool deletes them once it read the outcome. The heartbeat's age is read from its remaining TTL, so the
 * two machines' clocks need not agree.
 */

/** The few commands the exchange uses (@redis/client's own client type is too generic to name simply). */
interface RedisClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: { expiration: { type: "PX"; value: number } }): Promise<unknown>;
  pTTL(key: string): Promise<number>;
  exists(key: string): Promise<number>;
  del(keys: string[]): Promise<number>;
  close(): Promise<void>;
}

/** The `jackpool __remote-task` flag that names a Redis URL and a key prefix instead of a directory. */
export const REDIS_RUNNER_FLAG = "--redis";
/**
 * Where the runner finds the Redis password: in its own environment (the Mahavishnu server's, which its terminals
 * inherit). The command typed into a worker's terminal shows on its screen, so it names the URL without one.
 */
export const REDIS_PASSWORD_VARIABLE = "JACKPOOL_REDIS_PASSWORD";

/** `url` with its password taken out (the user, if any, stays). */
export function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = "";
  return parsed.href;
}

/** `url` with the password of REDIS_PASSWORD_VARIABLE put in, when it names none and the variable is set. */
function withRunnerPassword(url: string, env: NodeJS.ProcessEnv): string {
  const password = env[REDIS_PASSWORD_VARIABLE];
  const parsed = new URL(url);
  if (!password || parsed.password !== "") return url;
  parsed.password = password;
  return parsed.href;
}
/** A heartbeat lives this long unless renewed. */
const HEARTBEAT_TTL_MS = 30_000;
/** The outcome waits this long for jackpool to read it. */
const OUTCOME_TTL_MS = 10 * 60_000;
/** The task and cancel keys outlive the task's own timeout by this much. */
const TASK_TTL_MARGIN_MS = 10 * 60_000;
/**
 * The client connected to `url`, every command bounded in time (memory/redis-client.ts), so a Redis that is down or
 * stops answering fails fast, and the task moves elsewhere instead of waiting for it.
 */
async function connect(url: string): Promise<RedisClient> {
  try {
    return await connectRedis(url);
  } catch (error) {
    throw new Error(`cannot reach Redis at ${redactCredentials(url)} (${error instanceof Error ? error.message : String(error)})`);
  }
}

const key = (prefix: string, part: "task" | "heartbeat" | "cancel" | "outcome"): string => `${prefix}:${part}`;

/** jackpool's side of one task's keys. */
class RedisExchange implements TaskExchange {
  readonly runnerArgs: readonly string[];
  readonly runnerStderr = "/dev/null";
  /** A heartbeat that expired after it was seen is a dead runner, not one that never started. */
  private seenHeartbeat = false;

  constructor(
    private readonly client: RedisClient,
    url: string,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {
    this.runnerArgs = [REDIS_RUNNER_FLAG, withoutPassword(url), prefix];
  }

  /** Null also while Redis does not answer: then the heartbeat goes stale and the task is re-run elsewhere. */
  async outcome(): Promise<TaskOutcome | null> {
    const text = await this.client.get(key(this.prefix, "outcome")).catch(() => null);
    return text === null ? null : (JSON.parse(text) as TaskOutcome);
  }

  async heartbeatAgeMs(): Promise<number | null> {
    const remaining = await this.client.pTTL(key(this.prefix, "heartbeat")).catch(() => -2);
    if (remaining >= 0) {
      this.seenHeartbeat = true;
      return HEARTBEAT_TTL_MS - remaining;
    }
    return this.seenHeartbeat ? HEARTBEAT_TTL_MS : null;
  }

  async requestCancel(): Promise<void> {
    await this.client.set(key(this.prefix, "cancel"), "1", { expiration: { type: "PX", value: this.ttlMs } }).catch(() => undefined);
  }

  /** The runner's stderr stays on the worker's machine. */
  stderrTail(): Promise<string> {
    return Promise.resolve("");
  }

  async remove(): Promise<void> {
    await this.client
      .del((["task", "heartbeat", "cancel", "outcome"] as const).map((part) => key(this.prefix, part)))
      .catch(() => undefined);
  }
}

/** One scan's task keys in the Redis at `url`, below `jackpool:task:<scan id>`. */
export class RedisExchanges implements TaskExchanges {
  readonly description: string;
  private readonly scanPrefix = `jackpool:task:${randomUUID()}`;

  private constructor(
    private readonly client: RedisClient,
    private readonly url: string,
  ) {
    this.description = `Redis at ${redactCredentials(url)}`;
  }

  /** Connects to `url`; throws a one-line error when Redis cannot be reached. */
  static async open(url: string): Promise<RedisExchanges> {
    return new RedisExchanges(await connect(url), url);
  }

  async create(name: string, task: Task): Promise<TaskExchange> {
    const prefix = `${this.scanPrefix}:${name}`;
    const ttlMs = task.timeoutMs + TASK_TTL_MARGIN_MS;
    await this.client.set(key(prefix, "task"), JSON.stringify(task), { expiration: { type: "PX", value: ttlMs } });
    return new RedisExchange(this.client, this.url, prefix, ttlMs);
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }
}

/** The runner's side of one task's keys. */
export class RedisRunnerChannel implements RunnerChannel {
  private constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
  ) {}

  static async open(url: string, prefix: string, env: NodeJS.ProcessEnv = process.env): Promise<RedisRunnerChannel> {
    return new RedisRunnerChannel(await connect(withRunnerPassword(url, env)), prefix);
  }

  async task(): Promise<Task> {
    const text = await this.client.get(key(this.prefix, "task"));
    if (text === null) throw new Error(`no task at ${key(this.prefix, "task")}`);
    return JSON.parse(text) as Task;
  }

  async beat(): Promise<void> {
    await this.client.set(key(this.prefix, "heartbeat"), "1", { expiration: { type: "PX", value: HEARTBEAT_TTL_MS } });
  }

  async cancelRequested(): Promise<boolean> {
    return (await this.client.exists(key(this.prefix, "cancel"))) > 0;
  }

  async writeOutcome(outcome: TaskOutcome): Promise<void> {
    await this.client.set(key(this.prefix, "outcome"), JSON.stringify(outcome), { expiration: { type: "PX", value: OUTCOME_TTL_MS } });
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }
}
