import type { ToolSource } from "../toolchain/tool-sources.js";
import type { ToolName } from "../core/tool-name.js";

/** Per-tool overrides under `pool_scanning.tools.<name>`. */
export interface ToolOverride {
  enabled?: boolean;
  args?: string[];
  /** Seconds. */
  timeout?: number;
  include?: string[];
  exclude?: string[];
  /** semgrep only: local rule files or directories, project-relative; default: jackpool's shipped Python security rules. */
  config?: string[];
  /** check-jsonschema only: which schema validates which files. */
  schemas?: SchemaBinding[];
}

/** One `tools.check-jsonschema.schemas` entry: a schema file or a builtin schema, and the files it validates. */
export interface SchemaBinding {
  /** Project-relative path of a JSON Schema file. */
  schema?: string;
  /** A schema check-jsonschema ships, e.g. `vendor.github-workflows`. */
  builtin?: string;
  /** gitignore-style patterns of the files this schema validates. */
  files: string[];
}

/** The plan's tool classes (PoolRouter's heavy-cpu, fast and security workers). */
export type ToolClass = "heavy_cpu" | "fast" | "security";

/** `pooled`: the Mahavishnu pools (when a server is there); `local`: the local worker threads. */
export type RouteTarget = "pooled" | "local";

/**
 * The resolved `pool_scanning` section: every key defaulted, names exactly as in `.crackerjack.yaml`
 * (snake_case), so `jackpool config` prints this object as the file a user would write.
 */
export interface PoolScanningConfig {
  enabled: boolean;
  mcp_server_url: string;
  pool: {
    name: string;
    pool_type: string;
    min_workers: number;
    max_workers: number;
    worker_type: string;
    /** `files`: the server shares jackpool's filesystem; `redis`: tasks and outcomes travel through `memory.store`'s Redis. */
    exchange: "files" | "redis";
  };
  pooled_tools: ToolName[];
  local_tools: ToolName[];
  /** Where tools are looked for, first match wins: jackpool's managed environment, the project's .venv/bin, PATH. */
  tool_resolution: ToolSource[];
  /** Where tools listed in neither `pooled_tools` nor `local_tools` run, per tool class. */
  routing: Record<ToolClass, RouteTarget>;
  autoscaling: {
    enabled: boolean;
    scale_up_threshold: number;
    scale_down_threshold: number;
    max_workers: number;
  };
  memory: {
    enabled: boolean;
    /** Seconds a cached result stays valid. */
    cache_duration: number;
    /** "file" (under .crackerjack/cache/) or a redis:// URL shared by a team and its CI. */
    store: string;
  };
  /** gitignore-style patterns of project files no tool sees. */
  exclude: string[];
  tools: Partial<Record<ToolName, ToolOverride>>;
}

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  /** Absolute path of the config file, or null when defaults are used. */
  file: string | null;
  pool_scanning: PoolScanningConfig;
}
