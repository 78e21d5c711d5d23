/** The shape of one key in a section jackpool owns; validate.ts walks the YAML against it. */
export type FieldSpec =
  | { kind: "boolean" }
  | { kind: "string"; oneOf?: readonly string[]; pattern?: RegExp; expected?: string }
  | { kind: "integer"; min: number; max: number }
  | { kind: "tool-list" }
  | { kind: "string-list" }
  | { kind: "section"; fields: Readonly<Record<string, FieldSpec>> }
  | { kind: "tool-map"; entry: FieldSpec };

const workers: FieldSpec = { kind: "integer", min: 1, max: 1024 };

/** Per-tool overrides: `pool_scanning.tools.<tool>`. */
const toolOverride: FieldSpec = {
  kind: "section",
  fields: {
    enabled: { kind: "boolean" },
    args: { kind: "string-list" },
    timeout: { kind: "integer", min: 1, max: 86400 },
    include: { kind: "string-list" },
    exclude: { kind: "string-list" },
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
      },
    },
    pooled_tools: { kind: "tool-list" },
    local_tools: { kind: "tool-list" },
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
    tools: { kind: "tool-map", entry: toolOverride },
  },
};
