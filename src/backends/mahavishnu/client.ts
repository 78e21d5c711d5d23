import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { redactCredentials } from "../../text/redact.js";
import { oneLine } from "../../text/printable.js";
import { JACKPOOL_VERSION } from "../../self/version.js";
import { boundedFetch } from "../../net/bounded-fetch.js";
import { PoolToolError, RateLimitedError, ServerUnavailableError, toolFailure } from "./errors.js";
import type {
  CallerKind,
  PoolExecution,
  PoolHealth,
  PoolInfo,
  PoolMonitor,
  PoolScaled,
  PoolSelector,
  PoolSpawned,
  PoolsClosed,
} from "./results.js";
import { endpoint, withBasicAuth } from "./url.js";

/** How long a plain tool call may take; pool_execute gets its own task timeout plus this. */
const CALL_TIMEOUT_MS = 30_000;
/**
 * Added to `retry_after_seconds`, which the server truncates to whole seconds (and sends as null when under
 * one second is left): waiting this much longer lands after its window has reopened.
 */
const RETRY_MARGIN_MS = 1000;

/** Options of the client. */
export interface MahavishnuClientOptions {
  /** Who is calling, for the server's per-kind rate limit. */
  callerKind?: CallerKind;
  /** The longest total wait for the rate limit to lift, per call; then the call fails with RateLimitedError. */
  maxRateLimitWaitMs?: number;
  /** Told about every rate-limited call and how long the client waits. */
  onRateLimited?: (tool: string, waitMs: number) => void;
}

/** Arguments of pool_spawn (names as the server takes them). */
export interface SpawnOptions {
  pool_type?: string;
  name?: string;
  min_workers?: number;
  max_workers?: number;
  worker_type?: string;
}

type Json = null | boolean | number | string | Json[] | JsonObject;
type JsonObject = { [key: string]: Json };

/** What a tool call returns, as far as this client reads it. */
interface ToolCallResult {
  content?: unknown;
  structuredContent?: unknown;
  isError?: unknown;
  _meta?: unknown;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errorText(value: JsonObject, fallback: string): string {
  return typeof value.error === "string" ? value.error : fallback;
}

/**
 * A typed MCP client for Mahavishnu's pool tools (ten of its twelve: not dispatch_to_pool and workflow_result,
 * whose asynchronous results live in a Dhara store). Every result is read from `content[0].text` as JSON
 * (the one form every tool's result takes). Failures become typed errors: `PoolNotFoundError`,
 * `PoolToolError` (with `[MHV-xxx]` code), `RateLimitedError`, `ServerUnavailableError`.
 */
export class MahavishnuClient {
  private readonly client = new Client({ name: "jackpool", version: JACKPOOL_VERSION });
  private readonly callerKind: CallerKind;
  private connected = false;

  /** The server's URL as messages show it: credentials hidden. */
  readonly displayUrl: string;

  private constructor(
    readonly baseUrl: string,
    private readonly options: MahavishnuClientOptions,
  ) {
    this.callerKind = options.callerKind ?? "cli";
    this.displayUrl = redactCredentials(baseUrl);
  }

  /** Connects to `baseUrl` + `/mcp` and runs the initialize handshake. */
  static async connect(baseUrl: string, options: MahavishnuClientOptions = {}, timeoutMs = CALL_TIMEOUT_MS): Promise<MahavishnuClient> {
    const mahavishnu = new MahavishnuClient(baseUrl, options);
    try {
      const { url, headers } = withBasicAuth(endpoint(baseUrl, "mcp"));
      const transport = new StreamableHTTPClientTransport(url, { fetch: boundedFetch(), requestInit: { headers } });
      await mahavishnu.client.connect(transport, { timeout: timeoutMs });
    } catch (error) {
      await mahavishnu.client.close().catch(() => undefined);
      throw new ServerUnavailableError(`initialize failed at ${redactCredentials(endpoint(baseUrl, "mcp").href)}: ${describe(error)}`);
    }
    mahavishnu.connected = true;
    return mahavishnu;
  }

  /** Calls a tool and returns its parsed JSON result; waits out rate limits. */
  private async call(
    tool: string,
    args: Record<string, unknown>,
    { signal, timeoutMs = CALL_TIMEOUT_MS }: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<Json> {
    let waitedMs = 0;
    for (;;) {
      let result: ToolCallResult;
      try {
        result = await this.client.callTool({ name: tool, arguments: args }, undefined, { signal, timeout: timeoutMs });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ServerUnavailableError(`${tool}: ${describe(error)}`);
      }
      if (result.isError === true) throw new PoolToolError(tool, textOf(result) ?? "tool raised an error");
      const value = resultValue(tool, result);
      if (!isObject(value) || value.status !== "rate_limited") return value;
      const retryAfter = value.retry_after_seconds;
      const waitMs = (typeof retryAfter === "number" && retryAfter > 0 ? retryAfter * 1000 : 0) + RETRY_MARGIN_MS;
      if (waitedMs + waitMs > (this.options.maxRateLimitWaitMs ?? 120_000))
        throw new RateLimitedError(tool, errorText(value, "rate limited"));
      this.options.onRateLimited?.(tool, waitMs);
      await sleep(waitMs, undefined, { signal });
      waitedMs += waitMs;
    }
  }

  /** A dict result, or the tool's failure as a typed error. */
  private async callForObject(
    tool: string,
    args: Record<string, unknown>,
    options?: { signal?: AbortSignal; timeoutMs?: number },
  ): Promise<JsonObject> {
    const value = await this.call(tool, args, options);
    if (!isObject(value)) throw new PoolToolError(tool, `expected an object, got ${JSON.stringify(value).slice(0, 200)}`);
    if (value.status === "failed" && value.worker_id === undefined) throw toolFailure(tool, errorText(value, "failed"));
    return value;
  }

  private async callForList(tool: string, args: Record<string, unknown>): Promise<Json[]> {
    const value = await this.call(tool, args);
    if (!Array.isArray(value)) throw new PoolToolError(tool, `expected a list, got ${JSON.stringify(value).slice(0, 200)}`);
    return value;
  }

  /** pool_spawn: a new pool. */
  async spawn(options: SpawnOptions): Promise<PoolSpawned> {
    return (await this.callForObject("pool_spawn", { ...options })) as unknown as PoolSpawned;
  }

  /**
   * pool_execute: types `prompt` into the pool's first worker. `timeoutSec` is the server's wait for
   * completion; the request itself may take that long plus a margin.
   */
  async execute(poolId: string, prompt: string, timeoutSec: number, signal?: AbortSignal): Promise<PoolExecution> {
    const args = { pool_id: poolId, prompt, timeout: timeoutSec, caller_kind: this.callerKind };
    return (await this.callForObject("pool_execute", args, {
      signal,
      timeoutMs: timeoutSec * 1000 + CALL_TIMEOUT_MS,
    })) as unknown as PoolExecution;
  }

  /** pool_route_execute: the server picks the pool. */
  async routeExecute(
    prompt: string,
    {
      selector = "least_loaded",
      timeoutSec = 300,
      allowlist,
      workerType,
      signal,
    }: { selector?: PoolSelector; timeoutSec?: number; allowlist?: string[]; workerType?: string; signal?: AbortSignal } = {},
  ): Promise<PoolExecution> {
    const args = {
      prompt,
      pool_selector: selector,
      timeout: timeoutSec,
      caller_pool_allowlist: allowlist ?? null,
      caller_kind: this.callerKind,
      worker_type: workerType ?? null,
    };
    return (await this.callForObject("pool_route_execute", args, {
      signal,
      timeoutMs: timeoutSec * 1000 + CALL_TIMEOUT_MS,
    })) as unknown as PoolExecution;
  }

  /** pool_list: every pool the server holds. */
  async list(): Promise<PoolInfo[]> {
    return (await this.callForList("pool_list", {})) as unknown as PoolInfo[];
  }

  /** pool_monitor: status and memory count per pool (all pools when `poolIds` is omitted). */
  async monitor(poolIds?: string[]): Promise<PoolMonitor> {
    return (await this.callForObject("pool_monitor", { pool_ids: poolIds ?? null })) as unknown as PoolMonitor;
  }

  /** pool_health: overall status and every pool. */
  async health(): Promise<PoolHealth> {
    return (await this.call("pool_health", {})) as unknown as PoolHealth;
  }

  /** pool_scale: grow or shrink a pool within its [min_workers, max_workers]. */
  async scale(poolId: string, targetWorkers: number): Promise<PoolScaled> {
    return (await this.callForObject("pool_scale", { pool_id: poolId, target_workers: targetWorkers })) as unknown as PoolScaled;
  }

  /** pool_close: closes a pool (an unknown id is fine). */
  async close(poolId: string): Promise<void> {
    await this.callForObject("pool_close", { pool_id: poolId });
  }

  /** pool_close_all: closes every pool on the server, not only this client's. */
  async closeAll(): Promise<PoolsClosed> {
    return (await this.callForObject("pool_close_all", {})) as unknown as PoolsClosed;
  }

  /** pool_search_memory: records of earlier results, as the server has them. */
  async searchMemory(query: string, limit = 100): Promise<Json[]> {
    return this.callForList("pool_search_memory", { query, limit });
  }

  /** Ends the MCP session; safe to call twice. */
  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.client.close().catch(() => undefined);
  }
}

/** The first content block's text, when it is a text block. */
function textOf(result: ToolCallResult): string | undefined {
  const first = Array.isArray(result.content) ? (result.content[0] as { type?: unknown; text?: unknown } | undefined) : undefined;
  return first?.type === "text" && typeof first.text === "string" ? first.text : undefined;
}

/**
 * A tool's value: the JSON in `content[0].text`. FastMCP sends an empty list as no content at all, with
 * the value only in `structuredContent` (wrapped as `{result: [...]}`, flagged in `_meta.fastmcp.wrap_result`).
 */
function resultValue(tool: string, result: ToolCallResult): Json {
  const text = textOf(result);
  if (text === undefined) {
    const structured = result.structuredContent;
    if (!isObject(structured)) throw new PoolToolError(tool, "result has neither text nor structured content");
    const wrapped = isObject(result._meta) && isObject(result._meta.fastmcp) && result._meta.fastmcp.wrap_result === true;
    return wrapped ? (structured.result ?? null) : structured;
  }
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new PoolToolError(tool, `result is not JSON: ${oneLine(text, 200)}`);
  }
}

/** How much of an error a message quotes. */
const DESCRIBED_MAX_CHARS = 300;

/** The MCP SDK's schema check of an answer (zod) says what is wrong as a JSON dump of every issue: its first, in words. */
function schemaProblem(error: Error): string | undefined {
  const { issues } = error as { issues?: unknown };
  if (!Array.isArray(issues) || issues.length === 0) return undefined;
  const first = issues[0] as { path?: unknown[]; message?: unknown };
  const where = Array.isArray(first.path) && first.path.length > 0 ? `${first.path.join(".")}: ` : "";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problems)` : "";
  return `a malformed answer: ${where}${String(first.message)}${more}`;
}

/** An error and its cause in one short line, without credentials (fetch quotes the URL it refused). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return oneLine(redactCredentials(String(error)), DESCRIBED_MAX_CHARS);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return oneLine(redactCredentials(schemaProblem(error) ?? `${error.message}${cause}`), DESCRIBED_MAX_CHARS);
}
