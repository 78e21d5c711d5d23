// `scheme://userinfo@`: the userinfo runs to the last "@" before the authority ends (at "/", "?", "#", "\" or
// whitespace), as URL parsers read it, so a password holding an "@" is hidden whole.
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#\\]*@/gi;

/**
 * `text` with the credentials of every URL in it replaced by `***`: a URL jackpool prints (mcp_server_url,
 * memory.store) or a message that quotes one (a library's error). The one redaction of what jackpool prints, logs
 * or reports, so no password in a config reaches a terminal or a CI log.
 */
export function redactCredentials(text: string): string {
  return text.replace(USERINFO, "$1***@");
}
