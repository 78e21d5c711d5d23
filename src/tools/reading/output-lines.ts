/** Non-empty lines of a tool's text output, with Windows line endings folded. */
export function outputLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim() !== "");
}

/** First version-looking token (`1.2.3`) in a `--version` answer, or the trimmed answer itself. */
export function firstVersion(text: string): string {
  return /\d+(?:\.\d+)+/.exec(text)?.[0] ?? text.trim();
}

/** The last few lines of stderr, enough to say why a tool failed in one report line. */
export function stderrTail(stderr: string, lines = 3): string {
  return outputLines(stderr).slice(-lines).join(" | ");
}
