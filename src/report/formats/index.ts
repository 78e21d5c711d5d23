import { formatGithub } from "./github.js";
import { formatGitlab } from "./gitlab.js";
import { formatJson } from "./json.js";
import { formatJunit } from "./junit.js";
import { formatSarif } from "./sarif.js";
import { formatText } from "./text.js";
import type { Formatter } from "./formatter.js";

/** Every output format by its `--format` name. Adding a format = one file and one line here. */
export const FORMATTERS = {
  text: formatText,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
  gitlab: formatGitlab,
} satisfies Record<string, Formatter>;

/** A `--format` name. */
export type FormatName = keyof typeof FORMATTERS;

/** The `--format` names, in the order help and errors list them. */
export const FORMAT_NAMES = Object.keys(FORMATTERS) as FormatName[];

/** Narrows a string to a format name. */
export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATTERS, name);
}
