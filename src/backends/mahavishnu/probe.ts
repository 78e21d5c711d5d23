import type { MahavishnuClient, MahavishnuClientOptions } from "./client.js";
import { endpoint } from "./url.js";

/** How long the health check may take: a server that is up answers in milliseconds. */
const HEALTH_TIMEOUT_MS = 300;
/** How long the initialize handshake may take once /health answered. */
const INITIALIZE_TIMEOUT_MS = 2000;

/** A reachable server with an initialized session, or why there is none. */
export type ProbeResult = { available: true; client: MahavishnuClient } | { available: false; reason: string };

/**
 * Is a Mahavishnu server there? A cheap `GET /health` first (fails fast when nothing listens), then the MCP
 * initialize handshake. Never throws.
 */
export async function probeMahavishnu(baseUrl: string, options: MahavishnuClientOptions = {}): Promise<ProbeResult> {
  const health = endpoint(baseUrl, "health");
  try {
    const response = await fetch(health, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    if (!response.ok) return { available: false, reason: `${health.href} answered HTTP ${response.status}` };
    const body = (await response.json()) as { status?: unknown; service?: unknown };
    if (body.status !== "ok" || body.service !== "mahavishnu") return { available: false, reason: `${health.href} is not a Mahavishnu server (${JSON.stringify(body).slice(0, 100)})` };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return { available: false, reason: `no answer from ${health.href} (${cause})` };
  }
  try {
    // The MCP SDK takes a noticeable part of start-up: loaded only once a server has answered.
    const { MahavishnuClient } = await import("./client.js");
    return { available: true, client: await MahavishnuClient.connect(baseUrl, options, INITIALIZE_TIMEOUT_MS) };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
