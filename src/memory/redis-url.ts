/** A redis:// URL without its credentials, for messages. */
export function redisUrlForDisplay(url: string): string {
  const shown = new URL(url);
  shown.username = "";
  shown.password = "";
  return shown.toString();
}
