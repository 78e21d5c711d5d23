/** `mcp_server_url` is the server's base URL; its routes (`/mcp`, `/health`) hang below it. */
export function endpoint(baseUrl: string, route: string): URL {
  return new URL(route, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
}
