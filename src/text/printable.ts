/** `text` cut to `max` characters, ending with how many more there were (never half of a surrogate pair). */
export function truncated(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  return `${text.slice(0, end)}… (${text.length - end} more characters)`;
}

/** `text` on one line (each line break, with the blanks around it, becomes one space), cut to `max` characters. */
export function oneLine(text: string, max: number): string {
  return truncated(text.replace(/[^\S\r\n]*[\r\n]+\s*/g, " "), max);
}

// C0 and C1 controls, DEL, and the bidirectional overrides and isolates that reorder what a terminal shows.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * `text` with every character that would act on a terminal instead of showing written as an escape (`\n`, `\x1b`,
 * `\u202e`): a file name or a message holding escape sequences or line breaks prints as what it is.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (character) => {
    const code = character.charCodeAt(0);
    return NAMED_ESCAPES[character] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`);
  });
}
