import { lstatSync } from "node:fs";
import { open, readlink } from "node:fs/promises";
import path from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Node } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../core/errors.js";
import { forbiddenArgProblem } from "../tools/reading/option-reading.js";
import { BUILTIN_TOOL_NAMES, builtinTool } from "../tools/registry.js";
import type { Tool } from "../tools/tool.js";
import { POOL_SCANNING_SCHEMA, defaultPoolScanning, type LoadedConfig, type PoolScanningConfig } from "./schema.js";
import { YamlPlaces, describe, keyPath, quoted } from "./yaml-places.js";

/** The file jackpool (and crackerjack) read their settings from. */
export const CONFIG_FILE_NAME = ".crackerjack.yaml";
/** The one section of `.crackerjack.yaml` jackpool reads: crackerjack's others are left alone. */
const SECTION = "pool_scanning";

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

/** A problem found after the section was read, with the keys (below `pool_scanning`) it is about. */
interface Problem {
  keys: PropertyKey[];
  problem: string;
}

/**
 * The first of `args` that would make the scan rewrite the user's files or change a tool's output format, read
 * the way the tool's own option parser reads it (argparse takes prefixes: `--write` is `--write-changes`), and why.
 */
function forbiddenArg(tool: Tool, args: readonly string[]): Problem | undefined {
  for (const [index, arg] of args.entries()) {
    const problem = forbiddenArgProblem(tool.spec.name, arg, tool.driver.forbiddenArgs, tool.driver.optionParser);
    if (problem !== undefined)
      return { keys: ["tools", tool.spec.name, "args", index], problem: `${quoted(arg)} is not allowed: ${problem}` };
  }
  return undefined;
}

/** What the section's keys say together that no single key can: the first problem, or undefined. */
function inconsistency(config: PoolScanningConfig): Problem | undefined {
  if (config.pool.min_workers > config.pool.max_workers) {
    return {
      keys: ["pool", "min_workers"],
      problem: `${config.pool.min_workers} is more than pool.max_workers (${config.pool.max_workers})`,
    };
  }
  if (config.pool.exchange === "redis" && !/^rediss?:\/\//.test(config.memory.store)) {
    return { keys: ["pool", "exchange"], problem: `redis needs memory.store to be a redis:// URL (it is ${quoted(config.memory.store)})` };
  }
  const known = [...BUILTIN_TOOL_NAMES, ...Object.keys(config.tools).filter((name) => builtinTool(name) === undefined)];
  for (const list of ["pooled_tools", "local_tools"] as const) {
    for (const [index, name] of config[list].entries()) {
      if (!known.includes(name)) {
        return {
          keys: [list, index],
          problem: `unknown tool ${quoted(name)} (known tools: ${known.join(", ")}; a tool of your own is declared under tools)`,
        };
      }
    }
  }
  const both = config.pooled_tools.find((tool) => config.local_tools.includes(tool));
  if (both !== undefined) return { keys: ["local_tools"], problem: `${both} is also in pooled_tools; a tool runs in one place` };
  for (const [name, override] of Object.entries(config.tools)) {
    const tool = builtinTool(name);
    if (!tool) continue;
    const settings = tool.driver.settingsProblem?.(override);
    if (settings)
      return { keys: ["tools", name, ...settings.keys.map((key) => (/^\d+$/.test(key) ? Number(key) : key))], problem: settings.problem };
    const bad = forbiddenArg(tool, override.args ?? []);
    if (bad) return bad;
  }
  return undefined;
}

/** The first problem zod found, as jackpool words it: where, what was expected, and what was there. */
function firstIssue(issues: readonly z.core.$ZodIssue[], places: YamlPlaces): Problem & { got?: string } {
  const [issue] = issues;
  if (!issue) return { keys: [], problem: "invalid" };
  const keys = [SECTION, ...issue.path];
  // An unknown key is reported at the key itself, which zod gives apart from the path of its mapping.
  if (issue.code === "unrecognized_keys") return { keys: [...keys, issue.keys[0] ?? ""], problem: issue.message };
  const got = issue.message.startsWith("expected ") ? `, got ${describe(places.node(keys))}` : "";
  return { keys, problem: `${issue.message}${got}` };
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
  if (repeated)
    throw new ConfigError(`${displayName}:${lines.linePos(repeated.range?.[0] ?? 0).line}: invalid YAML: Map keys must be unique`);
  const root = document.contents as Node | null;
  if (root !== null && !isMap(root) && !(isScalar(root) && root.value === null)) {
    throw new ConfigError(`${displayName}:1: expected a mapping of sections at the top level`);
  }
  const places = new YamlPlaces(document, lines);
  const fail = ({ keys, problem }: Problem): never => {
    throw new ConfigError(`${displayName}:${places.line(keys)}: ${keyPath(keys)}: ${problem}`);
  };
  // Only `pool_scanning` is ours: crackerjack's other sections are left alone.
  const section: unknown = (document.toJS() as Record<string, unknown> | null)?.[SECTION] ?? {};
  const parsed = POOL_SCANNING_SCHEMA.safeParse(section);
  if (!parsed.success) fail(firstIssue(parsed.error.issues, places));
  const config = parsed.data as PoolScanningConfig;
  const problem = inconsistency(config);
  if (problem) fail({ keys: [SECTION, ...problem.keys], problem: problem.problem });
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
  if ("tooBig" in read)
    throw new ConfigError(`${displayName}: ${read.tooBig}; a config file may have at most ${MAX_CONFIG_BYTES / 1024} KiB`);
  return { file, pool_scanning: parseConfig(read.bytes.toString("utf8"), displayName) };
}
