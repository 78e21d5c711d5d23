import { hash } from "node:crypto";
import type { Finding } from "../core/finding.js";

/**
 * What a baseline entry keys on (README, "Baseline"): the tool, its rule, the file, a hash of the finding's source
 * line with all whitespace removed, the message with its numbers masked, and the finding's place among the
 * findings identical in all of these (its occurrence). The line number is not part of it: lines moving, edits
 * elsewhere and re-indentation leave it alone.
 */
export interface Identity {
  tool: string;
  rule: string;
  path: string;
  /** The tool's message as it was (entries keep it readable); matching uses `normaliseMessage` of it. */
  message: string;
  /** `sourceHash` of the finding's line; "" when the finding has no line in the file (whole-file or project findings). */
  source: string;
  /** 0 for the first of identical findings in a file, 1 for the next (in line order), ... */
  occurrence: number;
}

// Tools repeat their messages thousands of times on a large project: each is normalised once per process.
const normalised = new Map<string, string>();

/** Numbers standing alone (counts, sizes, line numbers, versions) become `#`: "Line too long (95 > 88)" keeps its identity. */
export function normaliseMessage(message: string): string {
  let result = normalised.get(message);
  if (result === undefined) {
    result = message
      .replace(/\b\d+(?:\.\d+)*\b/g, "#")
      .replace(/\s+/g, " ")
      .trim();
    normalised.set(message, result);
  }
  return result;
}

/** The first 12 hex digits of the SHA-256 of the line without any whitespace: indentation and spacing do not count. */
export function sourceHash(line: string | undefined): string {
  if (line === undefined) return "";
  return hash("sha256", line.replace(/\s+/g, "")).slice(0, 12);
}

// Fields are joined with NUL, which no tool name, rule, path or message holds.
/** Same finding, same line content: the first, strict way findings and entries are matched. */
export function exactKey(identity: Omit<Identity, "occurrence">): string {
  return `${identity.tool}\0${identity.rule}\0${identity.path}\0${identity.source}\0${normaliseMessage(identity.message)}`;
}

/** Same finding in the same file, whatever its line now holds (reformatted code): the second way. */
export function looseKey(identity: Omit<Identity, "occurrence" | "source">): string {
  return `${identity.tool}\0${identity.rule}\0${identity.path}\0${normaliseMessage(identity.message)}`;
}

function fingerprintFrom(key: string, occurrence: number): string {
  return hash("sha256", `jackpool-baseline-v1\0${key}\0${occurrence}`).slice(0, 16);
}

/** The entry's fingerprint: 16 hex digits of the SHA-256 of everything it keys on. A hand-edited entry no longer matches its own. */
export function fingerprintOf(identity: Identity): string {
  return fingerprintFrom(exactKey(identity), identity.occurrence);
}

/** A finding's identity with its fingerprint, made once. */
export interface FingerprintedIdentity extends Identity {
  fingerprint: string;
}

/** Lines of a file by 1-based number; undefined past the end or for a file that cannot be read. */
export type SourceLines = (path: string, line: number) => string | undefined;

/** Each finding's identity, occurrences counted in report order (sorted by line, so the n-th identical finding stays n-th). */
export function identitiesOf(findings: readonly Finding[], sourceLine: SourceLines): FingerprintedIdentity[] {
  const seen = new Map<string, number>();
  // Findings come sorted by file and line, and a busy line has several: its hash is made once.
  let last = { path: "", line: 0, source: "" };
  return findings.map((finding) => {
    if (finding.line !== last.line || finding.path !== last.path)
      last = {
        path: finding.path,
        line: finding.line,
        source: finding.line >= 1 ? sourceHash(sourceLine(finding.path, finding.line)) : "",
      };
    const { tool, rule, path, message } = finding;
    const key = exactKey({ tool, rule, path, message, source: last.source });
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return { tool, rule, path, message, source: last.source, occurrence, fingerprint: fingerprintFrom(key, occurrence) };
  });
}
