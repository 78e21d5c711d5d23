import { errorText } from "./keyv-store.js";
import type { ResultStore } from "./store.js";

/**
 * Warns that the store at `description` cannot be opened and returns a stand-in where everything is a miss
 * and writes are dropped: a scan never fails because of its cache.
 */
export function unavailableStore(description: string, error: unknown, onWarning: (line: string) => void): ResultStore {
  const failure = `cannot open ${description} (${errorText(error)})`;
  onWarning(`memory: ${failure}; the scan goes on without it`);
  return {
    description: `${description} (unavailable)`,
    failure,
    get: () => Promise.resolve(undefined),
    set: () => Promise.resolve(),
    clear: () => Promise.resolve(),
    stats: () => Promise.resolve({ entries: 0, bytes: null }),
    gc: () => Promise.resolve(0),
    close: () => Promise.resolve(),
  };
}
