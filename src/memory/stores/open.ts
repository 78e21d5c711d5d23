import { UserError } from "../../core/errors.js";
import { openFileStore } from "./file-store.js";
import type { ResultStore } from "./store.js";

/** Opens the store named by `pool_scanning.memory.store`: "file" (default) or a redis:// URL. */
export function openStore(spec: string, projectRoot: string, onWarning: (line: string) => void): Promise<ResultStore> {
  if (spec === "file") return openFileStore(projectRoot, onWarning);
  // Loaded only when configured: the Redis client is a noticeable share of a warm scan's start-up.
  if (/^rediss?:\/\//.test(spec)) return import("./redis-store.js").then(({ openRedisStore }) => openRedisStore(spec, onWarning));
  return Promise.reject(new UserError(`memory store must be "file" or a redis:// URL, not ${JSON.stringify(spec)}`));
}
