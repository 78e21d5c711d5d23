import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

/**
 * A bare MCP session with a Mahavishnu server, for what jackpool's client does not show: the tool list, and a tool's
 * answer exactly as sent (the client turns a rate-limited answer into waiting or an error).
 */
export interface RawMcp {
  tools(): Promise<string[]>;
  /** The tool's answer: `content[0].text` parsed as JSON, or its structured content when there is no text. */
  call(tool: string, args: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}

export async function rawMcp(url: string): Promise<RawMcp> {
  const client = new Client({ name: "jackpool-test", version: "0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  return {
    tools: async () => (await client.listTools()).tools.map((tool) => tool.name),
    call: async (tool, args) => {
      const result = await client.callTool({ name: tool, arguments: args });
      const [first] = result.content as { type: string; text?: string }[];
      return first?.type === "text" ? (JSON.parse(first.text!) as unknown) : result.structuredContent;
    },
    close: () => client.close(),
  };
}
