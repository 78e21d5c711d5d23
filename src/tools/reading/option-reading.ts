/**
 * How a tool's option parser reads its arguments, as far as it decides what an argument can turn into:
 * - `exact` (clap, click, cobra, refurb's and pyright's own parsers): a long option only by its full name;
 * - `argparse` (Python's argparse): also by any prefix of a long option (`--write` is `--write-changes`);
 * - `argparse-fromfile`: argparse with `fromfile_prefix_chars="@"`, which reads `@file` as more arguments.
 * Every one of them takes `--name=value`, and a cluster of short flags (`-fw` is `-f -w`).
 */
export type OptionParser = "exact" | "argparse" | "argparse-fromfile";

/** What an argument may be read as: a forbidden option, or arguments from a file jackpool cannot see. */
export type ForbiddenReading = { option: string } | { fromFile: string };

/**
 * The forbidden option `arg` could be read as by `parser`, or undefined when it cannot be any of them.
 * Conservative: a prefix counts even where argparse would find it ambiguous (argparse then refuses it anyway),
 * and any letter of a short-flag cluster counts even where an earlier letter takes the rest as its value
 * (`-Lwrod` is `-L wrod` to codespell, but refused: write `--ignore-words-list=wrod`). Every argument is looked
 * at, values included, because a parser reads a value that looks like an option as an option.
 */
export function forbiddenReading(arg: string, forbidden: readonly string[], parser: OptionParser): ForbiddenReading | undefined {
  if (forbidden.includes(arg)) return { option: arg };
  if (parser === "argparse-fromfile" && arg.startsWith("@")) return { fromFile: arg.slice(1) };
  const [name = ""] = arg.split("=", 1);
  if (name.startsWith("--") && name.length > 2) {
    const option = forbidden.find((flag) => flag === name || (parser !== "exact" && flag.startsWith("--") && flag.startsWith(name)));
    return option === undefined ? undefined : { option };
  }
  if (name.startsWith("-") && name.length > 1 && name[1] !== "-") {
    const option = [...name.slice(1)].map((letter) => `-${letter}`).find((flag) => forbidden.includes(flag));
    return option === undefined ? undefined : { option };
  }
  return undefined;
}

/** Why `arg` is refused, for a one-line error; undefined when it is allowed. */
export function forbiddenArgProblem(tool: string, arg: string, forbidden: readonly string[], parser: OptionParser): string | undefined {
  const reading = forbiddenReading(arg, forbidden, parser);
  if (reading === undefined) return undefined;
  if ("fromFile" in reading) {
    return `${tool} reads more arguments from the file after "@", which jackpool cannot check; put them in args instead`;
  }
  const readAs = reading.option === arg ? "" : `${tool} reads it as ${reading.option}, and `;
  return `${readAs}jackpool scan never lets a tool rewrite files or change the output jackpool reads`;
}

/** The value the last argument read as the long option `option` gives it (`--option=value` or `--option value`). */
export function optionValue(args: readonly string[], option: string, parser: OptionParser): string | undefined {
  let value: string | undefined;
  args.forEach((arg, index) => {
    const [name = "", ...rest] = arg.split("=");
    if (!name.startsWith("--") || forbiddenReading(name, [option], parser) === undefined) return;
    value = rest.length > 0 ? rest.join("=") : args[index + 1];
  });
  return value;
}
