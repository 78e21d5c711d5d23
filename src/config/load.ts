import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, type Node } from "yaml";
import { forbiddenArgProblem } from "../tools/option-reading.js";
import { adapterFor } from "../tools/registry.js";
import type { ToolName } from "../tools/names.js";
import { ConfigError } from "./config-error.js";
import { defaultPoolScanning } from "./defaults.js";
import { POOL_SCANNING_SPEC } from "./spec.js";
import type { LoadedConfig, PoolScanningConfig, ToolOverride } from "./types.js";
import { Validator } from "./validate.js";

/** The file jackpool (and crackerjack) read their settings from. */
export const CONFIG_FILE_NAME = ".crackerjack.yaml";

/** The nearest `.crackerjack.yaml` at or above `dir`, or null. */
export function findConfigFile(dir: string): string | null {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) return null;
  }
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
    if (problem !== undefined) return { index, problem: `"${arg}" is not allowed: ${problem}` };
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
    validator.failAt(root, [...section, "pool", "exchange"], `redis needs memory.store to be a redis:// URL (it is "${config.memory.store}")`);
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

/** Parses and validates config text; `displayName` is how errors name the file. */
export function parseConfig(text: string, displayName: string): PoolScanningConfig {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const yamlError = document.errors[0];
  if (yamlError) {
    const line = lines.linePos(yamlError.pos[0]).line;
    throw new ConfigError(`${displayName}:${line}: invalid YAML: ${yamlError.message.split("\n")[0]}`);
  }
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

/** Loads `explicitFile`, or the nearest `.crackerjack.yaml` above `cwd`, or the defaults. */
export async function loadConfig(cwd: string, explicitFile?: string): Promise<LoadedConfig> {
  const file = explicitFile ? path.resolve(cwd, explicitFile) : findConfigFile(cwd);
  if (file === null) return { file: null, pool_scanning: defaultPoolScanning() };
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError(`${path.relative(cwd, file) || file}: cannot read config file (${code})`);
  }
  return { file, pool_scanning: parseConfig(text, path.relative(cwd, file) || file) };
}
