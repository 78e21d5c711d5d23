import type { PoolScanningConfig } from "./types.js";

/** The plan's defaults (shared/plan.md, "Configuration"), plus jackpool's `exclude` and `tools`. */
export function defaultPoolScanning(): PoolScanningConfig {
  return {
    enabled: true,
    mcp_server_url: "http://localhost:8680",
    pool: {
      name: "crackerjack-quality-scanners",
      pool_type: "mahavishnu",
      min_workers: 2,
      max_workers: 8,
      worker_type: "terminal-qwen",
      exchange: "files",
    },
    pooled_tools: ["refurb", "complexipy", "skylos", "semgrep", "gitleaks"],
    local_tools: ["ruff", "vulture", "codespell", "check-jsonschema"],
    tool_resolution: ["managed", "project", "path"],
    routing: { heavy_cpu: "pooled", fast: "local", security: "pooled" },
    autoscaling: { enabled: true, scale_up_threshold: 10, scale_down_threshold: 300, max_workers: 16 },
    memory: { enabled: true, cache_duration: 86400, store: "file" },
    exclude: [],
    tools: {},
  };
}
