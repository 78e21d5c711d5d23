/** Minimal ANSI styling; every function is the identity when colour is off. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  /** `text` as an OSC 8 terminal hyperlink to `url`; terminals without support show the text alone. */
  link(text: string, url: string): string;
}

/** NO_COLOR wins, then FORCE_COLOR, then whether the stream is a terminal (https://no-color.org). */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  return stream.isTTY === true;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

// OSC 8 ; params ; URL ST. Escape sequences are as unwelcome as colour in a pipe or a file, so links follow colour.
function osc8(text: string, url: string): string {
  return `\u001b]8;;${url}\u001b\\${text}\u001b]8;;\u001b\\`;
}

/** A Style that colours (and links) when `enabled`. */
export function createStyle(enabled: boolean): Style {
  const plain = (text: string): string => text;
  if (!enabled) return { bold: plain, dim: plain, red: plain, yellow: plain, green: plain, cyan: plain, link: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), cyan: sgr(36, 39), link: osc8 };
}
