import { createHash } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { z } from "zod";
import { BaselineError } from "../core/errors.js";
import { readProjectState, writeProjectState } from "../state/project-state.js";
import { fingerprintOf, normaliseMessage, type Identity } from "./identity.js";

/** Bumped when the file changes in a way an older jackpool cannot read; an older file is always read. */
export const BASELINE_SCHEMA_VERSION = 1;

/** The file's default name, at the project root (`baseline.path` in `.crackerjack.yaml`). */
export const DEFAULT_BASELINE_FILE = ".jackpool-baseline.json";

/** One accepted finding. */
export interface BaselineEntry extends Identity {
  fingerprint: string;
  /** Why it was accepted, for findings added by `baseline update --accept-new --reason`. */
  reason?: string;
}

const ENTRY = z.strictObject({
  tool: z.string().min(1),
  rule: z.string().min(1),
  path: z.string(),
  message: z.string(),
  source: z.string().regex(/^([0-9a-f]{12})?$/, "expected 12 hex digits or an empty string"),
  occurrence: z.number().int().min(0),
  fingerprint: z.string().regex(/^[0-9a-f]{16}$/, "expected 16 hex digits"),
  reason: z.string().min(1).optional(),
});

const ABOUT =
  "Findings jackpool accepts: `jackpool scan` fails only on findings not listed here. Written by `jackpool baseline`; commit it. " +
  "`jackpool baseline update` drops entries that are gone; `--accept-new --reason TEXT` adds the new ones.";

const KEYS = new Set(["tool", "rule", "path", "message", "source", "occurrence", "fingerprint", "reason"]);

/** The common case checked by hand, as ENTRY would (a baseline holds thousands of entries); zod explains a failure. */
export function plainlyValid(raw: unknown): raw is BaselineEntry {
  if (typeof raw !== "object" || raw === null) return false;
  const entry = raw as Record<string, unknown>;
  for (const key in entry) if (!KEYS.has(key)) return false;
  return (
    typeof entry.tool === "string" &&
    entry.tool !== "" &&
    typeof entry.rule === "string" &&
    entry.rule !== "" &&
    typeof entry.path === "string" &&
    typeof entry.message === "string" &&
    typeof entry.source === "string" &&
    /^([0-9a-f]{12})?$/.test(entry.source) &&
    Number.isInteger(entry.occurrence) &&
    (entry.occurrence as number) >= 0 &&
    typeof entry.fingerprint === "string" &&
    /^[0-9a-f]{16}$/.test(entry.fingerprint) &&
    (entry.reason === undefined || (typeof entry.reason === "string" && entry.reason !== ""))
  );
}

// git writes these at the start of a line in a file it could not merge.
const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(?: |$)/m;

function describe(entry: unknown): string {
  if (typeof entry !== "object" || entry === null) return "";
  const { path, tool, rule } = entry as Record<string, unknown>;
  const parts = [path, tool, rule].filter((part): part is string => typeof part === "string");
  return parts.length > 0 ? ` (${parts.join(" ")})` : "";
}

/** The first problem zod found, as `key: message`. */
function problemOf(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  return issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

/**
 * Reads a baseline from its text. Anything jackpool cannot trust is a BaselineError naming the file (`name`) and the
 * entry: the scan stops with exit 2 and nothing is written.
 */
export function parseBaseline(text: string, name: string, { checked = false }: { checked?: boolean } = {}): BaselineEntry[] {
  const conflict = CONFLICT_MARKER.exec(text);
  if (conflict) {
    const line = text.slice(0, conflict.index).split("\n").length;
    throw new BaselineError(
      `${name}: git merge conflict markers at line ${line}: resolve it in favour of either side (git checkout --ours ${name} or --theirs), then run \`jackpool baseline update\``,
    );
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`${name}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof document !== "object" || document === null || Array.isArray(document))
    throw new BaselineError(`${name}: expected a JSON object with "jackpoolBaseline" and "entries"`);
  const { jackpoolBaseline: version, entries } = document as Record<string, unknown>;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1)
    throw new BaselineError(`${name}: "jackpoolBaseline" must be the file's schema version, a positive integer`);
  if (version > BASELINE_SCHEMA_VERSION)
    throw new BaselineError(
      `${name}: written by a newer jackpool (baseline schema ${version}; this jackpool reads up to ${BASELINE_SCHEMA_VERSION}): upgrade jackpool`,
    );
  if (!Array.isArray(entries)) throw new BaselineError(`${name}: "entries" must be a list`);
  // The very text passed every check below before (readBaseline knows its digest): nothing in it can have changed.
  if (checked) return entries as BaselineEntry[];
  const seen = new Map<string, number>();
  return entries.map((raw: unknown, index) => {
    const where = (): string => `${name}: entry ${index + 1}${describe(raw)}`;
    let entry: BaselineEntry;
    if (plainlyValid(raw)) entry = raw;
    else {
      const parsed = ENTRY.safeParse(raw);
      if (!parsed.success) throw new BaselineError(`${where()}: ${problemOf(parsed.error)}`);
      entry = parsed.data;
    }
    if (fingerprintOf(entry) !== entry.fingerprint)
      throw new BaselineError(
        `${where()}: its fingerprint does not match its fields (edited by hand?): restore the entry or remove it, then run \`jackpool baseline update\``,
      );
    const earlier = seen.get(entry.fingerprint);
    if (earlier !== undefined) throw new BaselineError(`${where()}: the same finding as entry ${earlier + 1}; remove one of them`);
    seen.set(entry.fingerprint, index);
    return entry;
  });
}

/** Where jackpool notes the digest of the last baseline text whose every fingerprint it checked (`.crackerjack/`, never committed). */
const CHECKED_STATE = "baseline-checked.json";

function digestOf(bytes: string | Buffer): string {
  // A note to itself that this text was checked, not a defence: SHA-1 is the quickest digest node has (2 ms for 2 MB).
  return createHash("sha1").update(`jackpool-baseline-checks-v${BASELINE_SCHEMA_VERSION}\0`).update(bytes).digest("hex");
}

/** A baseline file as read: its text's digest, and its entries. */
export interface LoadedBaseline {
  /** Names this very text (its schema version included): what a remembered holding of findings against it keys on. */
  digest: string;
  /** The entries, parsed on first use: a scan that finds its holding remembered never needs them. */
  entries: () => BaselineEntry[];
}

/**
 * Reads the baseline file; null when there is none. Checking every entry (and recomputing its fingerprint) is most of
 * the cost of reading a large file, so it is done once per content: a text whose digest `.crackerjack/` holds passed
 * every check before (the digest covers the schema version, so a jackpool reading a newer schema checks again), and
 * is parsed only when its entries are asked for. A text not checked before is checked at once, so a bad file stops
 * the scan before anything runs.
 */
export async function readBaseline(file: string, name: string, root: string): Promise<LoadedBaseline | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new BaselineError(`${name}: cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
  // The bytes are hashed as read, and decoded only when the entries are wanted: a file of megabytes costs a digest.
  const digest = digestOf(bytes);
  const checked = ((await readProjectState(root, CHECKED_STATE)) as { digest?: unknown } | undefined)?.digest === digest;
  let entries: BaselineEntry[] | undefined;
  if (!checked) {
    entries = parseBaseline(bytes.toString("utf8"), name);
    await writeProjectState(root, CHECKED_STATE, { digest });
  }
  return { digest, entries: () => (entries ??= parseBaseline(bytes.toString("utf8"), name, { checked: true })) };
}

/** A baseline entry for a finding's identity. */
export function entryOf(identity: Identity, reason?: string): BaselineEntry {
  const { tool, rule, path, message, source, occurrence } = identity;
  return { tool, rule, path, message, source, occurrence, fingerprint: fingerprintOf(identity), ...(reason ? { reason } : {}) };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Entry order: by file, tool, rule, message, line content, occurrence; never by line number, so moving code does not reorder the file. */
function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  return (
    compareText(a.path, b.path) ||
    compareText(a.tool, b.tool) ||
    compareText(a.rule, b.rule) ||
    compareText(normaliseMessage(a.message), normaliseMessage(b.message)) ||
    compareText(a.source, b.source) ||
    a.occurrence - b.occurrence ||
    compareText(a.fingerprint, b.fingerprint)
  );
}

/** The file's text: sorted, one entry a line (readable diffs, few merge conflicts), keys in a fixed order. */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const lines = [...entries].sort(compareEntries).map((entry) => `    ${JSON.stringify(entryOf(entry, entry.reason))}`);
  const body = lines.length > 0 ? `[\n${lines.join(",\n")}\n  ]` : "[]";
  return `{\n  "jackpoolBaseline": ${BASELINE_SCHEMA_VERSION},\n  "about": ${JSON.stringify(ABOUT)},\n  "entries": ${body}\n}\n`;
}

/** Writes the file atomically (a temporary file renamed over it): a failed write leaves the old one whole. */
export async function writeBaseline(file: string, entries: readonly BaselineEntry[], root: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const text = formatBaseline(entries);
  try {
    await writeFile(temporary, text);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new BaselineError(`${file}: cannot write: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Its fingerprints are jackpool's own: the next scan need not check them again.
  await writeProjectState(root, CHECKED_STATE, { digest: digestOf(text) });
}
