import { z } from "zod";

/**
 * The pieces settings are declared with, in `.crackerjack.yaml` and in each tool's own `tools.<name>` keys. Each says
 * in words what it expects, as the one message of any failure (`expected an integer from 1 to 1024`), so an error
 * reads the same whatever zod found wrong; config/load.ts adds where it is and what was there.
 */
function expecting(text: string): { error: () => string } {
  return { error: () => `expected ${text}` };
}

/** `true` or `false`. */
export function boolean() {
  return z.boolean(expecting("true or false"));
}

/** A whole number within a range. */
export function integer(min: number, max: number) {
  const text = expecting(`an integer from ${min} to ${max}`);
  return z.number(text).int(text).min(min, text).max(max, text);
}

/** One of a few words. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, expecting(`one of ${values.join(", ")}`));
}

/** A string that matches `pattern`, described as `expected`. */
export function text(pattern: RegExp, expected: string) {
  return z.string(expecting(expected)).regex(pattern, expecting(expected));
}

/** A list of strings. */
export function stringList() {
  const text = expecting("a list of strings");
  return z.array(z.string(text), text);
}

/** A list of `item`, described as `expected`. */
export function listOf<T extends z.ZodType>(item: T, expected: string) {
  return z.array(item, expecting(expected));
}

/**
 * A mapping with these keys, each optional; another key is an error that lists the known ones. `shape` values may
 * carry defaults (`.default()`, `.prefault()` for nested mappings), which fill in what the file leaves out.
 */
export function mapping<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? `unknown key (known keys: ${known})` : "expected a mapping"),
  });
}
