import { MahavishnuClient } from "../src/backends/mahavishnu/client.js";
import type { Report } from "../src/report/report.js";
import { SAMPLE_PROJECT, projectCopy, writeFiles } from "./helpers.js";

// What the scans on the stand-in (mahavishnu-scan.test.ts) and on the real server (mahavishnu-real.test.ts) share.

/**
 * The example project, configured to use a Mahavishnu server at `url` with shell workers; with `redisExchange`,
 * tasks travel through that Redis (`pool.exchange: redis`).
 */
export async function sampleWithServer(
  url: string,
  { enabled = true, redisExchange }: { enabled?: boolean; redisExchange?: string } = {},
): Promise<string> {
  const root = await projectCopy(SAMPLE_PROJECT, { commit: false });
  const redis = redisExchange === undefined ? "" : `    exchange: redis\n  memory:\n    store: "${redisExchange}"\n`;
  await writeFiles(root, {
    ".crackerjack.yaml": `pool_scanning:
  enabled: ${enabled}
  mcp_server_url: "${url}"
  pool:
    min_workers: 1
    max_workers: 8
    worker_type: terminal-shell
${redis}  pooled_tools: [refurb, complexipy]
  local_tools: [ruff, vulture, codespell]
  tools:
    complexipy:
      args: ["--max-complexity-allowed", "10"]
`,
  });
  return root;
}

/** The report without anything that depends on timing. */
export function timeless(report: Report): unknown {
  return JSON.parse(JSON.stringify(report, (key, value: unknown) => (key === "durationMs" ? undefined : value)));
}

/** The ids of the pools the server holds. */
export async function poolIds(url: string): Promise<string[]> {
  const client = await MahavishnuClient.connect(url);
  try {
    return (await client.list()).map((pool) => pool.pool_id).sort();
  } finally {
    await client.disconnect();
  }
}
