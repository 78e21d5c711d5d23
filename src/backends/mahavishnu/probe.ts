import http from "node:http";
import https from "node:https";
import type { MahavishnuClient, MahavishnuClientOptions } from "./client.js";
import { redactCredentials } from "../../text/redact.js";
import { printable, truncated } from "../../text/printable.js";
import { endpoint } from "./url.js";

/** How long the health check may take, all of it: a server that is up answers in milliseconds. */
const HEALTH_TIMEOUT_MS = 300;
/** The most of a health answer jackpool reads: Mahavishnu's is a few dozen bytes. */
const HEALTH_MAX_BYTES = 64 * 1024;
/** How long the initialize handshake may take once /health answered. */
const INITIALIZE_TIMEOUT_MS = 2000;

/** A reachable server with an initialized session and the version its /health gives, or why there is none. */
export type ProbeResult = { available: true; client: MahavishnuClient; version: string | undefined } | { available: false; reason: string };

/**
 * GETs `url`: the whole answer within `timeoutMs` (node's own `timeout` is only idle time, which a server sending a
 * byte now and then never reaches) and at most `maxBytes` of it. node:http rather than fetch: fetch loads undici,
 * a noticeable share of the start-up of a scan that memory answers, and every scan probes.
 */
function getText(url: URL, timeoutMs: number, maxBytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const request = (url.protocol === "https:" ? https : http).get(url, (response) => {
      response.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxBytes) request.destroy(new Error(`an answer larger than ${maxBytes / 1024} KiB`));
        else chunks.push(chunk);
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    const timer = setTimeout(() => request.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    request.on("close", () => clearTimeout(timer));
    request.on("error", reject);
  });
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Is a Mahavishnu server there, and which version? A cheap `GET /health` first (fails fast when nothing listens;
 * it names the version), then the MCP initialize handshake. Never throws.
 */
export async function probeMahavishnu(baseUrl: string, options: MahavishnuClientOptions = {}): Promise<ProbeResult> {
  const health = endpoint(baseUrl, "health");
  const shownHealth = redactCredentials(health.href);
  let version: string | undefined;
  try {
    const response = await getText(health, HEALTH_TIMEOUT_MS, HEALTH_MAX_BYTES);
    if (response.status < 200 || response.status > 299)
      return { available: false, reason: `${shownHealth} answered HTTP ${response.status}` };
    const body = parsedJson(response.body) as { status?: unknown; service?: unknown; version?: unknown } | undefined;
    if (body?.status !== "ok" || body.service !== "mahavishnu") {
      const shown = body === undefined ? response.body : JSON.stringify(body);
      return { available: false, reason: `${shownHealth} is not a Mahavishnu server (${shown.slice(0, 100)})` };
    }
    // The server's own text: shown in warnings, so one short printable line.
    if (typeof body.version === "string") version = printable(truncated(body.version, 40));
  } catch (error) {
    return {
      available: false,
      reason: `no answer from ${shownHealth} (${redactCredentials(error instanceof Error ? error.message : String(error))})`,
    };
  }
  try {
    // The MCP SDK takes a noticeable part of start-up: loaded only once a server has answered.
    const { MahavishnuClient } = await import("./client.js");
    return { available: true, client: await MahavishnuClient.connect(baseUrl, options, INITIALIZE_TIMEOUT_MS), version };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
