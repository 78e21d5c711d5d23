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
