import os from "node:os";
import path from "node:path";

/** jackpool's per-user cache directory: $XDG_CACHE_HOME/jackpool, else ~/.cache/jackpool (XDG base directories). */
export function jackpoolCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  // The spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), ".cache");
  return path.join(base, "jackpool");
}
