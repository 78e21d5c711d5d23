import { parseArgs, type ParseArgsConfig } from "node:util";
import type { Command } from "cac";
import { UserError } from "../core/errors.js";

/** Options that may be given several times: each `--format` adds an output. */
const REPEATABLE_OPTIONS = new Set(["format"]);

type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** `skip-tools` as cac names it: `skipTools`. */
const camelCase = (name: string): string => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** The spellings of a cac option (`-h, --help`, `--tools <names>`, `--no-cache`) without dashes and value placeholders. */
function spellings(rawName: string): string[] {
  return rawName
    .replace(/[<[].*$/, "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
}

/** node:util's parseArgs config for the options cac declares: every one repeatable, so repeats can be refused by name. */
function configOf(options: Command["options"]): OptionsConfig {
  const config: OptionsConfig = {};
  for (const option of options) {
    const names = spellings(option.rawName);
    const long = names.find((name) => name.startsWith("--"))?.slice(2);
    if (long === undefined) continue;
    const short = names.find((name) => /^-[^-]$/.test(name))?.slice(1);
    config[long] = { type: option.isBoolean ? "boolean" : "string", multiple: true, ...(short ? { short } : {}) };
  }
  return config;
}

/** One line for a parseArgs error, in jackpool's words where they differ. */
function problemOf(error: unknown, command: string): UserError {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']*)'/.exec(message);
  if (unknown) return new UserError(`unknown option ${unknown[1]} (see jackpool ${command} --help)`);
  return new UserError((message.split("\n")[0] ?? message).replace(/\.$/, ""));
}

/**
 * The options of `command` read from `argv` (what follows the script) as the user typed them, under cac's names
 * (`skipTools`; `--no-cache` as `cache: false`; what follows `--` as "--"), with cac's defaults. Every value stays
 * the string typed: cac's parser turns `--tools ''` into 0 and `--since 0123` into 123. An unknown option is named as
 * typed (`--bogus-flag`, where cac says `--bogusFlag`). A switch given twice counts once; any other repeated option
 * but `--format` is ambiguous, and an error.
 */
export function optionsAsTyped(command: Command, globalOptions: Command["options"], argv: readonly string[]): Record<string, unknown> {
  const declared = [...command.options, ...globalOptions];
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: configOf(declared), allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    throw problemOf(error, command.name);
  }
  const terminator = parsed.tokens.findIndex((token) => token.kind === "option-terminator");
  const afterTerminator =
    terminator === -1 ? [] : parsed.tokens.slice(terminator + 1).flatMap((token) => (token.kind === "positional" ? [token.value] : []));
  const options: Record<string, unknown> = { "--": afterTerminator };
  for (const option of declared) if (option.config.default !== undefined) options[option.name] = option.config.default;
  for (const [long, values] of Object.entries(parsed.values) as [string, (string | boolean)[]][]) {
    const negated = long.startsWith("no-");
    const name = camelCase(negated ? long.slice(3) : long);
    if (REPEATABLE_OPTIONS.has(long)) {
      options[name] = values.length === 1 ? values[0] : values;
    } else if (values.length > 1 && !(typeof values[0] === "boolean" && values.every((value) => value === values[0]))) {
      throw new UserError(`--${long} was given more than once`);
    } else {
      options[name] = negated ? !values[0] : values[0];
    }
  }
  return options;
}
