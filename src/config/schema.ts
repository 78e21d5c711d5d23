import { z } from "zod";
import { DECLARED_TOOL_SCHEMA } from "../tools/declared.js";
import { BUILTIN_TOOL_NAMES, builtinTool, defaultTools } from "../tools/registry.js";
import { boolean, integer, listOf, mapping, oneOf, stringList, text } from "../tools/settings-schema.js";
import type { ToolOverride } from "../tools/tool.js";
import { TOOL_SOURCES, type ToolSource } from "../toolchain/tool-sources.js";

const workers = () => integer(1, 1024);
const route = () => oneOf(["pooled", "local"]);
/** Where tools are looked for, first match wins: a non-empty list of distinct places, each reported where it is wrong. */
const sourceList = () => {
  const expected = `expected a non-empty list of distinct values from ${TOOL_SOURCES.join(", ")}`;
  return z.array(z.string({ error: () => expected }), { error: () => expected }).superRefine((sources, context) => {
    if (sources.length === 0) context.addIssue({ code: "custom", message: expected });
    const bad = sources.findIndex(
      (source, index) => !(TOOL_SOURCES as readonly string[]).includes(source) || sources.indexOf(source) !== index,
    );
    if (bad >= 0) context.addIssue({ code: "custom", message: expected, path: [bad] });
  }) as unknown as z.ZodType<ToolSource[]>;
};
const toolList = () => listOf(text(/\S/, "a list of tool names"), "a list of tool names");

/**
 * `pool_scanning.tools`: a built-in tool's name takes that tool's keys (tools/tool.ts, plus its own settings); any other
 * name declares a tool of the project's own (tools/declared.ts), which needs a `command`.
 */
const TOOLS = z.record(z.string(), z.unknown()).superRefine((tools, context) => {
  for (const [name, entry] of Object.entries(tools)) {
    const builtin = builtinTool(name);
    if (!builtin && !(typeof entry === "object" && entry !== null && "command" in entry)) {
      const known = BUILTIN_TOOL_NAMES.join(", ");
      context.addIssue({
        code: "custom",
        path: [name],
        message: `unknown tool (known tools: ${known}); a tool of your own needs a command (see tools declared in config)`,
      });
      continue;
    }
    const schema: z.ZodType = builtin?.overrideSchema ?? DECLARED_TOOL_SCHEMA;
    const result = schema.safeParse(entry ?? {});
    if (result.success) continue;
    for (const issue of result.error.issues) context.addIssue({ ...issue, path: [name, ...issue.path] });
  }
});

/**
 * Every key of `pool_scanning`, with its default (the plan's, shared/plan.md "Configuration", and jackpool's own):
 * the one declaration of the section, which the configuration's type is inferred from.
 */
export const POOL_SCANNING_SCHEMA = mapping({
  enabled: boolean().default(true),
  mcp_server_url: text(/^https?:\/\/[^\s/]+/, "an http:// or https:// URL").default("http://localhost:8680"),
  pool: mapping({
    name: text(/\S/, "a non-empty name").default("crackerjack-quality-scanners"),
    // The pool types the real Mahavishnu server accepts (shared/mahavishnu-pool-contract.md).
    pool_type: oneOf(["mahavishnu", "session-buddy", "runpod"]).default("mahavishnu"),
    min_workers: workers().default(2),
    max_workers: workers().default(8),
    worker_type: text(/\S/, "a worker type such as terminal-shell").default("terminal-qwen"),
    // How tasks reach the workers: files when the server shares jackpool's filesystem, else memory.store's Redis.
    exchange: oneOf(["files", "redis"]).default("files"),
  }).prefault({}),
  // Tool names are checked against the built-in and declared tools once the whole section is read (load.ts).
  pooled_tools: toolList().default(() => defaultTools("pooled")),
  local_tools: toolList().default(() => defaultTools("local")),
  // Where tools are looked for, first match wins: jackpool's managed environment, the project's .venv/bin, PATH.
  tool_resolution: sourceList().default(["managed", "project", "path"]),
  // Where a tool listed in neither list runs, by its class (the plan's tool classes; each tool's spec names its own).
  routing: mapping({
    heavy_cpu: route().default("pooled"),
    fast: route().default("local"),
    security: route().default("pooled"),
  }).prefault({}),
  autoscaling: mapping({
    enabled: boolean().default(true),
    scale_up_threshold: integer(1, 1_000_000).default(10),
    scale_down_threshold: integer(1, 86400 * 7).default(300),
    max_workers: workers().default(16),
  }).prefault({}),
  memory: mapping({
    enabled: boolean().default(true),
    /** Seconds a cached result stays valid. */
    cache_duration: integer(1, 86400 * 365).default(86400),
    /** "file" (under .crackerjack/cache/) or a redis:// URL shared by a team and its CI. */
    store: text(/^(file|rediss?:\/\/[^/\s]+(\/\d+)?)$/, "file or a redis://host:port/db URL").default("file"),
  }).prefault({}),
  /** Workers on other machines, through BullMQ on a Redis (README, "Workers on other machines"). */
  queue: mapping({
    /** The queue's Redis; empty for none. JACKPOOL_QUEUE_URL, when set, wins: a password need not be in this file. */
    url: text(/^(|rediss?:\/\/[^/\s]+(\/\d+)?)$/, "a redis:// or rediss:// URL").default(""),
  }).prefault({}),
  /** The per-project daemon that computes results ahead of the commit (README, "Daemon"). */
  daemon: mapping({
    /**
     * off: a scan never asks a daemon; manual: a scan asks the daemon `jackpool daemon start` started, if one runs;
     * auto: a scan also starts one when none runs. manual by default: nothing runs in the background unasked.
     */
    mode: oneOf(["off", "manual", "auto"]).default("manual"),
    /** Seconds without a file change or a request after which the daemon exits (30 minutes). */
    idle_seconds: integer(1, 86400 * 7).default(1800),
    /** Seconds a scan waits for the daemon's work under way before it runs by itself. */
    wait_seconds: integer(1, 3600).default(600),
    /** Milliseconds of quiet after a save before the per-file tools run on the saved files. */
    debounce_ms: integer(10, 60_000).default(300),
    /** Milliseconds of quiet before the whole-project tools run. */
    quiet_ms: integer(10, 600_000).default(2000),
  }).prefault({}),
  baseline: mapping({
    /** The baseline file, relative to the project root (README, "Baseline"). */
    path: text(/\S/, "a file name relative to the project root").default(".jackpool-baseline.json"),
    /** Baseline entries no longer found fail the scan, so the file is kept tight. */
    fail_on_gone: boolean().default(false),
  }).prefault({}),
  /** gitignore-style patterns of project files no tool sees. */
  exclude: stringList().default([]),
  tools: TOOLS.default({}),
});

/**
 * The resolved `pool_scanning` section: every key defaulted, names exactly as in `.crackerjack.yaml` (snake_case), so
 * `jackpool config` prints this object as the file a user would write.
 */
export type PoolScanningConfig = Omit<z.output<typeof POOL_SCANNING_SCHEMA>, "tools"> & {
  /** Each entry checked against its tool's schema (a built-in's keys, or a declaration). */
  tools: Readonly<Record<string, ToolOverride>>;
};

/** The defaults: what a project without `.crackerjack.yaml` gets. */
export function defaultPoolScanning(): PoolScanningConfig {
  return POOL_SCANNING_SCHEMA.parse({}) as PoolScanningConfig;
}

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  /** Absolute path of the config file, or null when defaults are used. */
  file: string | null;
  pool_scanning: PoolScanningConfig;
}
