import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "smol-toml";

/** The project's ruff settings as the embedded (WebAssembly) ruff takes them, and what it cannot honour. */
export interface EmbeddedRuffSettings {
  /** The configuration file the settings come from (project-relative), or null for ruff's defaults. */
  source: string | null;
  /** ruff's `Options`, as in ruff.toml: the WebAssembly build takes the same keys. */
  options: Record<string, unknown>;
  /** One line per setting or file that the embedded ruff cannot honour: said in the report, never silent. */
  limitations: string[];
}

// Settings that need a file system or file paths, which the WebAssembly build checks without: it sees one
// file's text at a time. Dropped from the options and reported.
const PATH_SETTINGS = [
  "extend",
  "exclude",
  "extend-exclude",
  "include",
  "extend-include",
  "force-exclude",
  "respect-gitignore",
  "src",
  "namespace-packages",
  "per-file-ignores",
  "extend-per-file-ignores",
  "per-file-target-version",
  "lint.exclude",
  "lint.per-file-ignores",
  "lint.extend-per-file-ignores",
  "lint.isort.known-local-folder",
];
// Settings about ruff's own run (cache, fixing, output), which do not change findings: dropped silently.
const RUN_SETTINGS = [
  "cache-dir",
  "fix",
  "unsafe-fixes",
  "show-fixes",
  "fix-only",
  "output-format",
  "required-version",
  "lint.fixable",
  "lint.unfixable",
  "lint.extend-safe-fixes",
  "lint.extend-unsafe-fixes",
];

const CONFIG_FILES = [".ruff.toml", "ruff.toml", "pyproject.toml"];

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Removes `dotted.key` from `options`; true if it was there. */
function drop(options: Record<string, unknown>, dotted: string): boolean {
  const keys = dotted.split(".");
  let table: unknown = options;
  for (const key of keys.slice(0, -1)) table = isTable(table) ? table[key] : undefined;
  const last = keys.at(-1)!;
  if (!isTable(table) || !(last in table)) return false;
  delete table[last];
  return true;
}

async function readToml(file: string): Promise<Record<string, unknown> | null> {
  try {
    return parse(await readFile(file, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new Error(`${file}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
}

/** `requires-python = ">=3.10"` → "py310", as ruff infers target-version when none is set. */
function targetFromRequiresPython(requires: unknown): string | null {
  if (typeof requires !== "string") return null;
  const minimum = /(?:>=|~=|==)\s*3\.(\d+)/.exec(requires);
  return minimum ? `py3${minimum[1]}` : null;
}

/**
 * Reads the ruff settings native ruff would apply at the project root: `.ruff.toml`, else `ruff.toml`, else the
 * `[tool.ruff]` table of `pyproject.toml` (ruff's own order), with `target-version` inferred from
 * `project.requires-python` when unset. `nestedConfigs` are ruff config files below the root: native ruff
 * applies them to their subtrees, the embedded one cannot.
 */
export async function embeddedRuffSettings(root: string, nestedConfigs: readonly string[]): Promise<EmbeddedRuffSettings> {
  const pyproject = await readToml(path.join(root, "pyproject.toml"));
  let source: string | null = null;
  let options: Record<string, unknown> = {};
  for (const name of CONFIG_FILES) {
    const document = name === "pyproject.toml" ? pyproject : await readToml(path.join(root, name));
    const table = name === "pyproject.toml" ? (isTable(document?.tool) ? document.tool.ruff : undefined) : document;
    if (isTable(table)) {
      source = name;
      options = structuredClone(table);
      break;
    }
  }
  const limitations: string[] = [];
  for (const key of PATH_SETTINGS) if (drop(options, key)) limitations.push(`${source}: \`${key}\` is not honoured by the embedded ruff`);
  for (const key of RUN_SETTINGS) drop(options, key);
  if (options["target-version"] === undefined) {
    const project = pyproject?.project;
    const target = targetFromRequiresPython(isTable(project) ? project["requires-python"] : undefined);
    if (target !== null) options["target-version"] = target;
  }
  for (const nested of nestedConfigs) limitations.push(`${nested}: nested ruff settings are not honoured by the embedded ruff`);
  return { source, options, limitations };
}
