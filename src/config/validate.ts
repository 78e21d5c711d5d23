import { isMap, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import { TOOL_NAMES, isToolName } from "../core/tool-name.js";
import { truncated } from "../text/printable.js";
import { ConfigError } from "../core/config-error.js";
import type { FieldSpec } from "./spec.js";

/** Where the YAML came from, to point errors at file:line. */
export interface Source {
  displayName: string;
  lines: LineCounter;
}

function lineOf(node: Node | null | undefined, source: Source, fallback: number): number {
  const offset = node?.range?.[0];
  return offset === undefined ? fallback : source.lines.linePos(offset).line;
}

/** How long a value quoted in an error may be: enough to recognise it, and the error stays one line. */
const QUOTED_MAX_CHARS = 80;

/** `value` in double quotes, cut short when long. */
export function quoted(value: unknown): string {
  return truncated(JSON.stringify(String(value)), QUOTED_MAX_CHARS);
}

function describe(node: Node | null): string {
  if (node === null) return "nothing";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) return quoted(node.source ?? node.value);
  return "an unsupported value";
}

function expectation(spec: FieldSpec): string {
  switch (spec.kind) {
    case "boolean":
      return "true or false";
    case "string":
      return spec.oneOf ? `one of ${spec.oneOf.join(", ")}` : (spec.expected ?? "a string");
    case "integer":
      return `an integer from ${spec.min} to ${spec.max}`;
    case "tool-list":
      return `a list of tool names (${TOOL_NAMES.join(", ")})`;
    case "string-list":
      return "a list of strings";
    case "choice-list":
      return `a non-empty list of distinct values from ${spec.oneOf.join(", ")}`;
    case "section":
    case "tool-map":
      return "a mapping";
    case "section-list":
      return "a list of mappings";
  }
}

/** Validates YAML nodes against specs, producing plain values; the first problem throws a ConfigError. */
export class Validator {
  constructor(private readonly source: Source) {}

  private fail(node: Node | null, keyPath: string, fallbackLine: number, problem: string): never {
    throw new ConfigError(`${this.source.displayName}:${lineOf(node, this.source, fallbackLine)}: ${keyPath}: ${problem}`);
  }

  private mismatch(node: Node | null, keyPath: string, spec: FieldSpec, line: number): never {
    return this.fail(node, keyPath, line, `expected ${expectation(spec)}, got ${describe(node)}`);
  }

  /** Returns the validated value, merged over `base` for sections; null nodes leave `base` as it is. */
  value(node: Node | null, spec: FieldSpec, keyPath: string, base: unknown, line: number): unknown {
    if (node === null || (isScalar(node) && node.value === null)) return base;
    switch (spec.kind) {
      case "boolean":
        if (isScalar(node) && typeof node.value === "boolean") return node.value;
        return this.mismatch(node, keyPath, spec, line);
      case "integer":
        if (isScalar(node) && Number.isInteger(node.value)) {
          const value = node.value as number;
          if (value >= spec.min && value <= spec.max) return value;
        }
        return this.mismatch(node, keyPath, spec, line);
      case "string":
        if (isScalar(node) && typeof node.value === "string") {
          const value = node.value;
          if ((!spec.oneOf || spec.oneOf.includes(value)) && (!spec.pattern || spec.pattern.test(value))) return value;
        }
        return this.mismatch(node, keyPath, spec, line);
      case "string-list":
      case "tool-list":
        return this.list(node, spec, keyPath, line);
      case "choice-list":
        return this.choiceList(node, spec, keyPath, line);
      case "section":
        return this.section(node, spec.fields, keyPath, (base ?? {}) as Record<string, unknown>, line);
      case "section-list":
        if (!isSeq(node)) return this.mismatch(node, keyPath, spec, line);
        return node.items.map((item, index) => this.value(item as Node, { kind: "section", fields: spec.fields }, `${keyPath}[${index}]`, {}, line));
      case "tool-map":
        return this.toolMap(node, spec, keyPath, (base ?? {}) as Record<string, unknown>, line);
    }
  }

  private list(node: Node, spec: FieldSpec, keyPath: string, line: number): string[] {
    if (!isSeq(node)) return this.mismatch(node, keyPath, spec, line);
    return node.items.map((item, index) => {
      const itemNode = item as Node;
      const value = isScalar(itemNode) ? itemNode.value : undefined;
      if (typeof value !== "string" || (spec.kind === "tool-list" && !isToolName(value))) {
        return this.mismatch(itemNode, `${keyPath}[${index}]`, spec, line);
      }
      return value;
    });
  }

  private choiceList(node: Node, spec: FieldSpec & { kind: "choice-list" }, keyPath: string, line: number): string[] {
    if (!isSeq(node) || node.items.length === 0) return this.mismatch(node, keyPath, spec, line);
    return node.items.map((item, index, items) => {
      const itemNode = item as Node;
      const value = isScalar(itemNode) ? itemNode.value : undefined;
      const repeated = items.slice(0, index).some((earlier) => isScalar(earlier) && earlier.value === value);
      if (typeof value !== "string" || !spec.oneOf.includes(value) || repeated) return this.mismatch(itemNode, `${keyPath}[${index}]`, spec, line);
      return value;
    });
  }

  private entries(node: Node, keyPath: string, spec: FieldSpec, line: number): [string, Node | null, number][] {
    if (!isMap(node)) return this.mismatch(node, keyPath, spec, line);
    return node.items.map((pair) => {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : "";
      return [key, pair.value as Node | null, lineOf(keyNode, this.source, line)];
    });
  }

  private section(
    node: Node,
    fields: Readonly<Record<string, FieldSpec>>,
    keyPath: string,
    base: Record<string, unknown>,
    line: number,
  ): Record<string, unknown> {
    const result: Record<string, unknown> = { ...base };
    for (const [key, valueNode, keyLine] of this.entries(node, keyPath, { kind: "section", fields }, line)) {
      const field = fields[key];
      const childPath = `${keyPath}.${truncated(key, QUOTED_MAX_CHARS)}`;
      if (!field) {
        this.fail(null, childPath, keyLine, `unknown key (known keys: ${Object.keys(fields).join(", ")})`);
      }
      result[key] = this.value(valueNode, field, childPath, base[key], keyLine);
    }
    return result;
  }

  private toolMap(node: Node, spec: Extract<FieldSpec, { kind: "tool-map" }>, keyPath: string, base: Record<string, unknown>, line: number) {
    const result: Record<string, unknown> = { ...base };
    for (const [key, valueNode, keyLine] of this.entries(node, keyPath, spec, line)) {
      if (!isToolName(key)) {
        this.fail(null, `${keyPath}.${truncated(key, QUOTED_MAX_CHARS)}`, keyLine, `unknown tool (known tools: ${TOOL_NAMES.join(", ")})`);
      }
      const entry: FieldSpec = { kind: "section", fields: { ...spec.fields, ...spec.toolFields[key] } };
      result[key] = this.value(valueNode, entry, `${keyPath}.${key}`, base[key], keyLine);
    }
    return result;
  }

  /** The line of the node at `keys` below `root`, for errors found after validation. */
  lineAt(root: Node | null, keys: readonly string[]): number {
    let node: Node | null = root;
    let line = 1;
    for (const key of keys) {
      if (isSeq(node) && /^\d+$/.test(key)) {
        node = (node.items[Number(key)] as Node | undefined) ?? null;
        line = lineOf(node, this.source, line);
        continue;
      }
      if (!isMap(node)) break;
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (!pair) break;
      line = lineOf(pair.key as Node, this.source, line);
      node = pair.value as Node | null;
    }
    return line;
  }

  /** Throws a ConfigError pointing at the node at `keys` (a numeric key is a list index: `schemas[0]`). */
  failAt(root: Node | null, keys: readonly string[], problem: string): never {
    const keyPath = keys.map((key, index) => (/^\d+$/.test(key) ? `[${key}]` : index === 0 ? key : `.${key}`)).join("");
    throw new ConfigError(`${this.source.displayName}:${this.lineAt(root, keys)}: ${keyPath}: ${problem}`);
  }
}
