import type { Finding } from "../../core/finding.js";
import type { CachedResult } from "./store.js";

/**
 * The shapes an entry read back from any store must have (file, Redis, a Mahavishnu server's memory): whatever is
 * stored there may have been written by another version, another program or a hand. An entry that passes is a
 * result every report format can render; one that does not is a miss.
 */

const SEVERITIES: readonly unknown[] = ["error", "warning", "info"];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const optional = (value: unknown, check: (present: unknown) => boolean): boolean => value === undefined || check(value);
const isLine = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

/** Whether `value` is a Finding, every field of its type. */
export function isFinding(value: unknown): value is Finding {
  if (!isObject(value)) return false;
  return (
    typeof value.tool === "string" &&
    typeof value.rule === "string" &&
    SEVERITIES.includes(value.severity) &&
    typeof value.path === "string" &&
    isLine(value.line) &&
    (value.column === null || isLine(value.column)) &&
    optional(value.endLine, isLine) &&
    optional(value.endColumn, isLine) &&
    typeof value.message === "string" &&
    optional(value.url, (url) => typeof url === "string")
  );
}

const isDuration = (value: unknown): boolean => typeof value === "number" && Number.isFinite(value) && value >= 0;

/** Whether `value` is a CachedResult: a result, or a manifest whose `files` each name a key and a duration. */
export function isCachedResult(value: unknown): value is CachedResult {
  if (!isObject(value)) return false;
  const { findings, durationMs, files } = value;
  return (
    Array.isArray(findings) &&
    findings.every(isFinding) &&
    isDuration(durationMs) &&
    optional(
      files,
      (entries) =>
        isObject(entries) &&
        Object.values(entries).every((entry) => isObject(entry) && typeof entry.key === "string" && isDuration(entry.durationMs)),
    )
  );
}
