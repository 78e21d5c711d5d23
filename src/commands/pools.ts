import type { MahavishnuClient } from "../backends/mahavishnu/client.js";
import { PoolToolError, ServerUnavailableError } from "../backends/mahavishnu/errors.js";
import { probeMahavishnu } from "../backends/mahavishnu/probe.js";
import type { PoolInfo, PoolMonitor } from "../backends/mahavishnu/results.js";
import { describeDecision } from "../backends/autoscaler.js";
import { lastScaling, type ScalingLog } from "../backends/scaling-log.js";
import { loadConfig } from "../config/load.js";
import { findProjectRoot } from "../config/project-root.js";
import { textTable } from "../text/table.js";
import { UserError } from "../core/errors.js";

/** The actions of `jackpool pools`. */
export const POOLS_ACTIONS = ["status", "list", "close-all"] as const;

/** How `jackpool pools` prints: tables for people, JSON for scripts. */
export type PoolsFormat = "text" | "json";

function poolTable(pools: readonly PoolInfo[], monitor: PoolMonitor = {}): string {
  const withMemory = Object.keys(monitor).length > 0;
  const header = ["pool", "name", "type", "status", "workers", "min", "max", ...(withMemory ? ["memory"] : [])];
  const rows = pools.map((pool) => [
    pool.pool_id,
    pool.name,
    pool.pool_type,
    pool.status,
    pool.workers,
    pool.min_workers,
    pool.max_workers,
    ...(withMemory ? [monitor[pool.pool_id]?.memory_count ?? "-"] : []),
  ]);
  return textTable(header, rows);
}

/** What one action found, as JSON and as text. */
interface PoolsAnswer {
  json: unknown;
  text: string;
}

/** The last scan's autoscaling decisions, as lines under the status table. */
function scalingText(log: ScalingLog | undefined): string {
  if (log === undefined) return "autoscaling: no scan recorded in this project";
  if (log.decisions.length === 0) return `autoscaling: no decisions in the last scan (${log.scan})`;
  return [
    `autoscaling in the last scan (${log.scan}):`,
    ...log.decisions.map((decision) => `  ${decision.at}  ${describeDecision(decision)}`),
  ].join("\n");
}

async function answer(action: (typeof POOLS_ACTIONS)[number], client: MahavishnuClient, root: string): Promise<PoolsAnswer> {
  const where = client.displayUrl;
  switch (action) {
    case "list": {
      const pools = await client.list();
      return { json: pools, text: pools.length === 0 ? `no pools at ${where}` : poolTable(pools) };
    }
    case "status": {
      const [health, monitor, scaling] = await Promise.all([client.health(), client.monitor(), lastScaling(root)]);
      const pools = health.pools ?? [];
      const headline = `Mahavishnu at ${where}: ${health.status}, ${health.pools_active ?? pools.length} pools active${health.error ? ` (${health.error})` : ""}`;
      const table = pools.length === 0 ? [] : [poolTable(pools, monitor)];
      return { json: { health, monitor, autoscaling: scaling ?? null }, text: [headline, ...table, scalingText(scaling)].join("\n\n") };
    }
    case "close-all": {
      const closed = await client.closeAll();
      return { json: closed, text: `closed ${closed.pools_closed} pools at ${where}` };
    }
  }
}

/**
 * `jackpool pools status|list|close-all`: pool_health with pool_monitor, pool_list, pool_close_all on the
 * configured server. An unreachable server is one line and exit 2, like any other thing jackpool cannot do.
 */
export async function poolsCommand(action: string, cwd: string, options: { configFile?: string; format: string }): Promise<number> {
  const known = POOLS_ACTIONS.find((candidate) => candidate === action);
  if (known === undefined) throw new UserError(`pools: unknown action "${action}" (expected ${POOLS_ACTIONS.join(", ")})`);
  if (options.format !== "text" && options.format !== "json")
    throw new UserError(`pools --format: expected text or json, got "${options.format}"`);
  const root = await findProjectRoot(cwd);
  const { pool_scanning: config } = await loadConfig(cwd, options.configFile);
  const probe = await probeMahavishnu(config.mcp_server_url, { callerKind: "cli" });
  if (!probe.available) throw new UserError(`pools ${action}: Mahavishnu server not available: ${probe.reason}`);
  try {
    const result = await answer(known, probe.client, root);
    process.stdout.write(options.format === "json" ? `${JSON.stringify(result.json, null, 2)}\n` : `${result.text}\n`);
  } catch (error) {
    if (error instanceof PoolToolError || error instanceof ServerUnavailableError) throw new UserError(`pools ${action}: ${error.message}`);
    throw error;
  } finally {
    await probe.client.disconnect();
  }
  return 0;
}
