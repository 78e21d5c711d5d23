import http from "node:http";
import type { AddressInfo } from "node:net";

/** Writes one answer; `id` is the JSON-RPC id of the MCP request it answers (undefined for /health). */
export type Answer = (response: http.ServerResponse, id?: unknown) => void;

/** A JSON answer. */
export const json =
  (body: unknown): Answer =>
  (response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };

/** A JSON-RPC result for the request answered. */
export const rpcResult =
  (result: unknown): Answer =>
  (response, id) =>
    json({ jsonrpc: "2.0", id, result })(response);

/** Headers, then one space every 100 ms, for ever: within every idle timeout, never finished. */
export const trickle: Answer = (response) => {
  response.writeHead(200, { "content-type": "application/json" });
  const timer = setInterval(() => response.write(" "), 100);
  response.on("close", () => clearInterval(timer));
};

/** Headers, then bytes as fast as the client takes them, for ever. */
export const endless: Answer = (response) => {
  response.writeHead(200, { "content-type": "application/json" });
  const chunk = Buffer.alloc(64 * 1024, "[");
  const pump = (): void => {
    while (!response.destroyed && response.write(chunk));
    if (!response.destroyed) response.once("drain", pump);
  };
  pump();
};

/** The answers of the fake server; each defaults to what a healthy Mahavishnu says. */
export interface FakeAnswers {
  health?: Answer;
  initialize?: Answer;
  toolCall?: Answer;
}

const HEALTHY = json({ status: "ok", service: "mahavishnu" });
const INITIALIZED = rpcResult({
  protocolVersion: "2025-06-18",
  capabilities: { tools: {} },
  serverInfo: { name: "fake-mahavishnu", version: "0" },
});

/**
 * A real HTTP server speaking just enough of Mahavishnu's: `GET /health`, and MCP over streamable HTTP with JSON
 * answers (initialize, notifications, tools/call), so a test can make any one answer hostile.
 */
export async function fakeMahavishnu(answers: FakeAnswers = {}): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.method === "GET" && request.url === "/health") return (answers.health ?? HEALTHY)(response);
    if (request.method !== "POST") {
      response.writeHead(405).end();
      return;
    }
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      const message = JSON.parse(body) as { id?: unknown; method?: string };
      if (message.id === undefined) response.writeHead(202).end();
      else if (message.method === "initialize") (answers.initialize ?? INITIALIZED)(response, message.id);
      else if (message.method === "tools/call" && answers.toolCall) answers.toolCall(response, message.id);
      else json({ jsonrpc: "2.0", id: message.id, error: { code: -32601, message: "not here" } })(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
