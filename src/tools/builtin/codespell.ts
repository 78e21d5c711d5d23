import { UserError } from "../../core/errors.js";
import { defineTool, type ParsedRun, type RunSettings } from "../tool.js";
import { lineFindings } from "../reading/line-findings.js";
import { forbiddenReading, optionValue } from "../reading/option-reading.js";
import { firstVersion, stderrTail } from "../reading/output-lines.js";
import { asOperand } from "../reading/project-path.js";
import { iniSection, tomlTable, type SettingEntry } from "../reading/settings-files.js";

const MISSPELLING = /^(.+?):(\d+): (.+? ==> .+)$/;
/** codespell's own default word pattern (`word_regex_def` in codespell_lib/_codespell.py 2.4). */
const DEFAULT_WORD_REGEX = "[\\w\\-'’]+";
/** The options that make codespell rewrite files (`--interactive` above 0 turns `--write-changes` on). */
const WRITING_OPTIONS = ["--write-changes", "--interactive"];

/**
 * codespell's settings as it reads them, in its order (later wins): `[tool.codespell]` in pyproject.toml, then
 * `[codespell]` in setup.cfg and .codespellrc. Each key becomes the argument `--<key>`, so argparse's prefixes apply.
 */
async function settingsEntries(root: string): Promise<SettingEntry[]> {
  return [
    ...(await tomlTable(root, "pyproject.toml", ["tool", "codespell"])),
    ...(await iniSection(root, "setup.cfg", "codespell")),
    ...(await iniSection(root, ".codespellrc", "codespell")),
  ];
}

/**
 * Why codespell cannot write, whatever its settings say: jackpool always passes `--regex`, and codespell refuses
 * `--write-changes` (which `--interactive` implies) together with a regex, exit 64, before reading any file. The
 * regex is the one the settings give (so findings stay the same), else codespell's default. On top of that, a
 * settings file that turns writing on is refused with its file:line, and `args` are checked when the config loads.
 */
async function writeGuard(root: string): Promise<RunSettings> {
  let regex = DEFAULT_WORD_REGEX;
  for (const entry of await settingsEntries(root)) {
    const writing = forbiddenReading(`--${entry.key}`, WRITING_OPTIONS, "argparse");
    if (writing !== undefined && "option" in writing) {
      throw new UserError(
        `${entry.file}:${entry.line}: codespell setting "${entry.key}" is not allowed: codespell reads it as ${writing.option}, and jackpool scan never lets a tool rewrite files`,
      );
    }
    if (forbiddenReading(`--${entry.key}`, ["--regex"], "argparse") !== undefined && entry.value !== "") regex = entry.value;
  }
  return { args: ["--regex", regex], inputs: {} };
}

/** The value each argument that codespell reads as `--regex` or `-r` gives it. */
function regexValues(args: readonly string[]): string[] {
  return args.flatMap((arg, index) => {
    const next = args[index + 1] ?? "";
    if (arg.startsWith("--")) {
      const value = optionValue([arg, next], "--regex", "argparse");
      return value === undefined ? [] : [value];
    }
    const short = /^-[^-]*?r(.*)$/.exec(arg);
    return short ? [short[1] === "" ? next : short[1]!.replace(/^=/, "")] : [];
  });
}

/** codespell: common misspellings in any text file; exit 65 = misspellings found, 64 = bad usage. */
export default defineTool(
  {
    name: "codespell",
    executable: "codespell",
    scope: "per-file",
    resultsDependOn: "own-file",
    brokenInput: "per-file",
    configFiles: ["pyproject.toml", "setup.cfg", ".codespellrc"],
    include: ["*"],
    defaultTimeoutSec: 300,
    cost: { startupMs: 100, perFileMs: 0.7 },
    homepage: "https://github.com/codespell-project/codespell",
    package: { via: "pip", name: "codespell" },
    class: "fast",
    placement: "local",
  },
  {
    forbiddenArgs: ["-w", "--write-changes", "-i", "--interactive", "--count"],
    optionParser: "argparse-fromfile",
    versionArgs: ["--version"],
    parseVersion: firstVersion,
    settingsProblem(override) {
      const empty = regexValues(override.args ?? []).some((value) => value === "");
      return empty
        ? { keys: ["args"], problem: "codespell's --regex may not be empty (jackpool relies on it to keep codespell from writing)" }
        : undefined;
    },
    runs: async (_override, root) => [await writeGuard(root)],
    buildArgs: (files, { userArgs }) => [...userArgs, ...files.map(asOperand)],
    parse({ exitCode, stdout, stderr, cwd }): ParsedRun {
      if (exitCode !== 0 && exitCode !== 65) {
        return { kind: "tool-error", message: `exited ${exitCode}: ${stderrTail(stderr || stdout)}` };
      }
      const parsed = lineFindings(stdout, MISSPELLING, cwd, { tool: "codespell", severity: "warning", rule: () => "misspelling" });
      if ("unexpected" in parsed) return { kind: "tool-error", message: `unexpected output: ${parsed.unexpected}` };
      const { findings } = parsed;
      if (exitCode === 65 && findings.length === 0) {
        return { kind: "tool-error", message: `exited 65 without findings: ${stderrTail(stderr)}` };
      }
      return { kind: "findings", findings };
    },
  },
);
