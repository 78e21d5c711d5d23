import { lstatSync } from "node:fs";
import { open, readlink } from "node:fs/promises";
import path from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import { forbiddenArgProblem } from "../tools/reading/option-reading.js";
import { adapterFor } from "../tools/registry.js";
import type { ToolName } from "../core/tool-name.js";
import { ConfigError } from "../core/config-error.js";
import { defaultPoolScanning } from "./defaults.js";
import { POOL_SCANNING_SPEC } from "./spec.js";
import type { LoadedConfig, PoolScanningConfig, ToolOverride } from "./types.js";
import { Validator, quoted } from "./validate.js";

/** The file jackpool (and crackerjack) read their settings from. */
export const CONFIG_FILE_NAME = ".crackerjack.yaml";
/**
 * The largest config file jackpool reads: settings fit in a few kilobytes, and a bigger file is a mistake or an
 * attack. Parsing this much YAML takes about a tenth of a second.
 */
export const MAX_CONFIG_BYTES = 256 * 1024;

/** Whether there is a directory entry at `file`, whatever it is: a dangling link is there too. */
function isThere(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The nearest `.crackerjack.yaml` at or above `dir`, or null. An entry that is there but cannot be read (a dangling
 * link, a directory) is the config all the same: loading it is then an error, never a silent fall back to a
 * config (and project root) further up.
 */
export function findConfigFile(dir: string): string | null {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, CONFIG_FILE_NAME);
    if (isThere(candidate)) return candidate;
    if (path.dirname(current) === current) return null;
  }
}

/** Why `file` could not be read, in a few words: a link to nothing says where it points. */
async function unreadable(file: string, error: unknown): Promise<string> {
  const code = (error as NodeJS.ErrnoException).code ?? String(error);
  if (code !== "ENOENT") return code;
  const target = await readlink(file).catch(() => null);
  return target === null ? code : `a symbolic link to ${target}, which does not exist`;
}

/**
 * The first of `args` that would make the scan rewrite the user's files or change a tool's output format, read
 * the way the tool's own option parser reads it (argparse takes prefixes: `--write` is `--write-changes`), and why.
 */
function forbiddenArg(tool: ToolName, args: readonly string[]): { index: number; problem: string } | undefined {
  const adapter = adapterFor(tool);
  if (!adapter) return undefined;
  for (const [index, arg] of args.entries()) {
    const problem = forbiddenArgProblem(tool, arg, adapter.forbiddenArgs, adapter.optionParser);
    if (problem !== undefined) return { index, problem: `${quoted(arg)} is not allowed: ${problem}` };
  }
  return undefined;
}

function checkConsistency(config: PoolScanningConfig, validator: Validator, root: Node | null): void {
  const section = ["pool_scanning"];
  if (config.pool.min_workers > config.pool.max_workers) {
    validator.failAt(
      root,
      [...section, "pool", "min_workers"],
      `${config.pool.min_workers} is more than pool.max_workers (${config.pool.max_workers})`,
    );
  }
  if (config.pool.exchange === "redis" && !/^rediss?:\/\//.test(config.memory.store)) {
    validator.failAt(root, [...section, "pool", "exchange"], `redis needs memory.store to be a redis:// URL (it is ${quoted(config.memory.store)})`);
  }
  const both = config.pooled_tools.find((tool) => config.local_tools.includes(tool));
  if (both !== undefined) validator.failAt(root, [...section, "local_tools"], `${both} is also in pooled_tools; a tool runs in one place`);
  for (const [tool, override] of Object.entries(config.tools) as [ToolName, ToolOverride][]) {
    const settings = adapterFor(tool)?.settingsProblem?.(override);
    if (settings) validator.failAt(root, [...section, "tools", tool, ...settings.keys], settings.problem);
    const bad = forbiddenArg(tool, override.args ?? []);
    if (bad !== undefined) validator.failAt(root, [...section, "tools", tool, "args", String(bad.index)], bad.problem);
  }
}

/**
 * The first key that repeats a key before it in the same mapping, anywhere in the document. The yaml library's own
 * check (`uniqueKeys`) compares each key with every earlier one: 40 000 keys took 16 s. This is one set per mapping.
 */
function repeatedKey(document: Document): Node | undefined {
  let repeated: Node | undefined;
  visit(document, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) {
          repeated = key;
          return visit.BREAK;
        }
        seen.add(key.value);
      }
      return undefined;
    },
  });
  return repeated;
}

/** Parses and validates config text; `displayName` is how errors name the file. Linear in the size of `text`. */
export function parseConfig(text: string, displayName: string): PoolScanningConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const yamlError = document.errors[0];
  if (yamlError) {
    const line = lines.linePos(yamlError.pos[0]).line;
    throw new ConfigError(`${displayName}:${line}: invalid YAML: ${yamlError.message.split("\n")[0]}`);
  }
  const repeated = repeatedKey(document);
  if (repeated) throw new ConfigError(`${displayName}:${lines.linePos(repeated.range?.[0] ?? 0).line}: invalid YAML: Map keys must be unique`);
  const validator = new Validator({ displayName, lines });
  const root = document.contents as Node | null;
  if (root !== null && !isMap(root) && !(isScalar(root) && root.value === null)) {
    throw new ConfigError(`${displayName}:1: expected a mapping of sections at the top level`);
  }
  // Only `pool_scanning` is ours: crackerjack's other sections are left alone.
  const sectionPair = isMap(root) ? root.items.find((pair) => isScalar(pair.key) && pair.key.value === "pool_scanning") : undefined;
  const sectionLine = validator.lineAt(root, ["pool_scanning"]);
  const config = validator.value(
    (sectionPair?.value as Node | null | undefined) ?? null,
    POOL_SCANNING_SPEC,
    "pool_scanning",
    defaultPoolScanning(),
    sectionLine,
  ) as PoolScanningConfig;
  checkConsistency(config, validator, root);
  return config;
}

/**
 * `file`'s bytes, or its size when that is over `limit` (for a file that is not a regular one, such as /dev/zero,
 * which has no size: only that it is over). Reads at most `limit` + 1 bytes.
 */
async function readBounded(file: string, limit: number): Promise<{ bytes: Buffer } | { tooBig: string }> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    if (size > limit) return { tooBig: `${Math.ceil(size / 1024)} KiB` };
    const buffer = Buffer.alloc(limit + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled);
      filled += bytesRead;
      if (filled > limit) return { tooBig: `more than ${limit / 1024} KiB read (not a regular file)` };
      if (bytesRead === 0) return { bytes: buffer.subarray(0, filled) };
    }
  } finally {
    await handle.close();
  }
}

/** Loads `explicitFile`, or the nearest `.crackerjack.yaml` above `cwd`, or the defaults. */
export async function loadConfig(cwd: string, explicitFile?: string): Promise<LoadedConfig> {
  const file = explicitFile ? path.resolve(cwd, explicitFile) : findConfigFile(cwd);
  if (file === null) return { file: null, pool_scanning: defaultPoolScanning() };
  const displayName = path.relative(cwd, file) || file;
  let read: Awaited<ReturnType<typeof readBounded>>;
  try {
    read = await readBounded(file, MAX_CONFIG_BYTES);
  } catch (error) {
    throw new ConfigError(`${displayName}: cannot read config file (${await unreadable(file, error)})`);
  }
  if ("tooBig" in read) throw new ConfigError(`${displayName}: ${read.tooBig}; a config file may have at most ${MAX_CONFIG_BYTES / 1024} KiB`);
  return { file, pool_scanning: parseConfig(read.bytes.toString("utf8"), displayName) };
}
