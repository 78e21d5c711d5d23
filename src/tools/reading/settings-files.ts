import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseToml } from "smol-toml";

/** One key of a tool's own settings file, where it is, and its value as the tool sees it. */
export interface SettingEntry {
  /** Project-relative name of the file. */
  file: string;
  line: number;
  key: string;
  value: string;
}

async function textOf(root: string, file: string): Promise<string | null> {
  try {
    return await readFile(path.join(root, file), "utf8");
  } catch {
    return null; // absent or unreadable: the tool does not read it either
  }
}

/**
 * The keys of `[section]` (and of `[DEFAULT]`, which Python's configparser gives every section) in an INI file,
 * read as configparser reads them: keys lower-cased, `key = value` or `key: value`, `#` and `;` comment lines.
 * Conservative for checks: every `key = value` line counts as a key, even one configparser would take as the
 * continuation of the value above it; values are their first line.
 */
export async function iniSection(root: string, file: string, section: string): Promise<SettingEntry[]> {
  const text = await textOf(root, file);
  if (text === null) return [];
  const entries: SettingEntry[] = [];
  let current: string | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const header = /^\[(.+)\]/.exec(line);
    if (header) {
      current = header[1]!;
      return;
    }
    const option = /^(.*?)\s*[=:]\s*(.*)$/.exec(line);
    if (option && option[1] !== "" && (current === section || current === "DEFAULT")) {
      entries.push({ file, line: index + 1, key: option[1]!.toLowerCase(), value: option[2]! });
    }
  });
  return entries;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** The line a key of a TOML table is on: the first line assigning that key (bare or quoted), else the table's header, else 1. */
function tomlLine(lines: readonly string[], key: string, table: readonly string[]): number {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const assignment = new RegExp(`^\\s*(?:[\\w.-]*\\.)?["']?${escaped}["']?\\s*=`);
  const header = new RegExp(`^\\s*\\[\\s*${table.map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("\\s*\\.\\s*")}\\s*\\]`);
  const at = (pattern: RegExp): number => lines.findIndex((line) => pattern.test(line)) + 1;
  return at(assignment) || at(header) || 1;
}

/**
 * The keys of the table at `table` (`["tool", "codespell"]`) in a TOML file that are not false, each value as
 * text: true as "", a list joined with commas (as codespell reads them). A file that does not parse yields nothing: the tool
 * itself refuses it.
 */
export async function tomlTable(root: string, file: string, table: readonly string[]): Promise<SettingEntry[]> {
  const text = await textOf(root, file);
  if (text === null) return [];
  let found: unknown;
  try {
    found = table.reduce<unknown>((value, part) => (isTable(value) ? value[part] : undefined), parseToml(text));
  } catch {
    return [];
  }
  if (!isTable(found)) return [];
  const lines = text.split(/\r?\n/);
  // false leaves an option off (codespell drops such keys): only what is set counts.
  return Object.entries(found)
    .filter(([, value]) => value !== false)
    .map(([key, value]) => ({
      file,
      line: tomlLine(lines, key, table),
      key,
      value: value === true ? "" : Array.isArray(value) ? value.map(settingText).join(",") : settingText(value),
    }));
}

/** A TOML value as a tool reads it as text: a table (mypy's `[[tool.mypy.overrides]]`) as its JSON, never a crash. */
function settingText(value: unknown): string {
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}
