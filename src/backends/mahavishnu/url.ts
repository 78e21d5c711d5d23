/** `mcp_server_url` is the server's base URL; its routes (`/mcp`, `/health`) hang below it. */
export function endpoint(baseUrl: string, route: string): URL {
  return new URL(route, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
}

/**
 * `url` without its credentials, and them as a Basic Authorization header: fetch refuses a URL holding credentials
 * (node:http, which the health probe uses, sends them as this same header itself).
 */
export function withBasicAuth(url: URL): { url: URL; headers: Record<string, string> } {
  if (url.username === "" && url.password === "") return { url, headers: {} };
  const bare = new URL(url);
  bare.username = "";
  bare.password = "";
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  return { url: bare, headers: { authorization: `Basic ${Buffer.from(credentials).toString("base64")}` } };
}
