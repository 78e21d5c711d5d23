import { TOOL_SOURCES } from "../toolchain/tool-sources.js";
import type { ToolName } from "../core/tool-name.js";

/** The shape of one key in a section jackpool owns; validate.ts walks the YAML against it. */
export type FieldSpec =
  | { kind: "boolean" }
  | { kind: "string"; oneOf?: readonly string[]; pattern?: RegExp; expected?: string }
  | { kind: "integer"; min: number; max: number }
  | { kind: "tool-list" }
  | { kind: "string-list" }
  /** A non-empty list of distinct values, each one of `oneOf`. */
  | { kind: "choice-list"; oneOf: readonly string[] }
  | { kind: "section"; fields: Readonly<Record<string, FieldSpec>> }
  | { kind: "section-list"; fields: Readonly<Record<string, FieldSpec>> }
  /** `fields` apply to every tool; `toolFields` add keys that only one tool has. */
  | { kind: "tool-map"; fields: Readonly<Record<string, FieldSpec>>; toolFields: Readonly<Partial<Record<ToolName, Record<string, FieldSpec>>>> };

const workers: FieldSpec = { kind: "integer", min: 1, max: 1024 };

/** Per-tool overrides every tool takes: `pool_scanning.tools.<tool>`. */
const toolOverride: Readonly<Record<string, FieldSpec>> = {
  enabled: { kind: "boolean" },
  args: { kind: "string-list" },
  timeout: { kind: "integer", min: 1, max: 86400 },
  include: { kind: "string-list" },
  exclude: { kind: "string-list" },
};

/** Settings only one tool has. */
const toolSettings: Partial<Record<ToolName, Record<string, FieldSpec>>> = {
  semgrep: { config: { kind: "string-list" } },
  "check-jsonschema": {
    schemas: {
      kind: "section-list",
      fields: {
        schema: { kind: "string", pattern: /\S/, expected: "a project-relative path of a JSON Schema file" },
        builtin: { kind: "string", pattern: /^[\w.-]+$/, expected: "a builtin schema name such as vendor.github-workflows" },
        files: { kind: "string-list" },
      },
    },
  },
};

/** Every key of `pool_scanning`, as the plan names them (shared/plan.md, "Configuration"). */
export const POOL_SCANNING_SPEC: FieldSpec = {
  kind: "section",
  fields: {
    enabled: { kind: "boolean" },
    mcp_server_url: { kind: "string", pattern: /^https?:\/\/[^\s/]+/, expected: "an http:// or https:// URL" },
    pool: {
      kind: "section",
      fields: {
        name: { kind: "string", pattern: /\S/, expected: "a non-empty name" },
        // The pool types the real Mahavishnu server accepts (shared/mahavishnu-pool-contract.md).
        pool_type: { kind: "string", oneOf: ["mahavishnu", "session-buddy", "runpod"] },
        min_workers: workers,
        max_workers: workers,
        worker_type: { kind: "string", pattern: /\S/, expected: "a worker type such as terminal-shell" },
        // How tasks reach the workers: files when the server shares jackpool's filesystem, else memory.store's Redis.
        exchange: { kind: "string", oneOf: ["files", "redis"] },
      },
    },
    pooled_tools: { kind: "tool-list" },
    local_tools: { kind: "tool-list" },
    tool_resolution: { kind: "choice-list", oneOf: TOOL_SOURCES },
    // Where a tool in neither list goes, by the plan's tool classes (scan/routing.ts lists their members).
    routing: {
      kind: "section",
      fields: {
        heavy_cpu: { kind: "string", oneOf: ["pooled", "local"] },
        fast: { kind: "string", oneOf: ["pooled", "local"] },
        security: { kind: "string", oneOf: ["pooled", "local"] },
      },
    },
    autoscaling: {
      kind: "section",
      fields: {
        enabled: { kind: "boolean" },
        scale_up_threshold: { kind: "integer", min: 1, max: 1_000_000 },
        scale_down_threshold: { kind: "integer", min: 1, max: 86400 * 7 },
        max_workers: workers,
      },
    },
    memory: {
      kind: "section",
      fields: {
        enabled: { kind: "boolean" },
        cache_duration: { kind: "integer", min: 1, max: 86400 * 365 },
        store: { kind: "string", pattern: /^(file|rediss?:\/\/[^/\s]+(\/\d+)?)$/, expected: "file or a redis://host:port/db URL" },
      },
    },
    exclude: { kind: "string-list" },
    tools: { kind: "tool-map", fields: toolOverride, toolFields: toolSettings },
  },
};
