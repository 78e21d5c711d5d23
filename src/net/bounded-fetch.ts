import type { FetchLike } from "@modelcontextprotocol/sdk/shared/transport.js";

/**
 * The most of one answer jackpool reads from a Mahavishnu server: pool_search_memory's 10 000 records fit many
 * times over, and a server streaming without end fails the call instead of exhausting memory.
 */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * fetch, with each response body cut off past `maxBytes`: reading it then fails with one line, and the connection
 * is dropped. The MCP SDK reads a JSON answer whole (`response.json()`) and an SSE event until its end, so without
 * this an endless answer grows until the process dies. Time is bounded by each call's own timeout.
 */
export function boundedFetch(maxBytes = MAX_ANSWER_BYTES): FetchLike {
  return async (url, init) => {
    const response = await fetch(url, init);
    // A body-less answer (and the status-0 answer of a redirect left unfollowed) has nothing to bound.
    if (response.body === null || response.status < 200) return response;
    let seen = 0;
    const limited = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > maxBytes) controller.error(new Error(`an answer larger than ${maxBytes / 1024 / 1024} MiB`));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
